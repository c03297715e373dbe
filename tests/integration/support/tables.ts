import { sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { SYMBOL_PATTERN } from "@/lib/events/symbol";

import { computeReference, isClose, type RefBar } from "./reference-kpis";

type Row = Record<string, unknown>;

/**
 * fact_prices, daily_stats and kpi_snapshots as plain sorted rows (without updated_at); only the rows of
 * `symbols` when given (symbols are checked against the ticker pattern before they reach the SQL text).
 */
export async function dumpKpiTables(db: Db, symbols?: readonly string[]) {
  if (symbols?.some((s) => !SYMBOL_PATTERN.test(s))) throw new Error(`not symbols: ${symbols.join(", ")}`);
  const only = symbols ? `where symbol in (${symbols.map((s) => `'${s}'`).join(", ") || "null"})` : "";
  const q = async (text: string) => (await db.execute(sql.raw(text))).rows as Row[];
  return {
    facts: await q(
      `select symbol, (extract(epoch from ts) * 1000)::bigint::text as ts, trade_date::text, open, high, low, close, volume::text, ma_5, ma_20, ema_20, vwap, is_final from fact_prices ${only} order by symbol, ts`,
    ),
    days: await q(
      `select symbol, trade_date::text, open, high, low, close, volume::text, prev_close, change_pct, day_range, range_pct, vwap, bar_count from daily_stats ${only} order by symbol, trade_date`,
    ),
    windows: await q(
      `select window_minutes, (extract(epoch from window_start) * 1000)::bigint::text as window_start, symbol, avg_price, vwap, total_volume::text, gain_pct, first_open, last_close, high, low, bar_count from kpi_snapshots ${only} order by window_minutes, window_start, symbol`,
    ),
  };
}

/**
 * Compares the stored KPI rows (of `symbols` only, when given) with the independent reference computed
 * from `bars`; returns the mismatches (empty when every row matches and no row is missing or extra).
 */
export async function diffAgainstReference(
  db: Db,
  bars: readonly RefBar[],
  windows: readonly number[],
  symbols?: readonly string[],
): Promise<string[]> {
  const ref = computeReference(bars, windows);
  const stored = await dumpKpiTables(db, symbols);
  const problems: string[] = [];
  const num = (v: unknown) => (v === null ? null : Number(v));
  const check = (what: string, actual: unknown, expected: number | null) => {
    if (!isClose(num(actual), expected))
      problems.push(`${what}: stored ${String(actual)}, expected ${expected}`);
  };

  if (stored.facts.length !== ref.facts.length)
    problems.push(`fact_prices: ${stored.facts.length} rows, expected ${ref.facts.length}`);
  const facts = new Map(stored.facts.map((r) => [`${String(r.symbol)}|${String(r.ts)}`, r]));
  for (const f of ref.facts) {
    const r = facts.get(`${f.symbol}|${f.ts}`);
    if (!r) {
      problems.push(`fact_prices: missing ${f.symbol} ${new Date(f.ts).toISOString()}`);
      continue;
    }
    const at = `${f.symbol} ${new Date(f.ts).toISOString()}`;
    if (r.trade_date !== f.tradeDate)
      problems.push(`${at} trade_date ${String(r.trade_date)} ≠ ${f.tradeDate}`);
    for (const [col, expected] of [
      ["open", f.open],
      ["high", f.high],
      ["low", f.low],
      ["close", f.close],
      ["volume", f.volume],
      ["ma_5", f.ma5],
      ["ma_20", f.ma20],
      ["ema_20", f.ema20],
      ["vwap", f.vwap],
    ] as const) {
      check(`${at} ${col}`, r[col], expected);
    }
  }

  if (stored.days.length !== ref.days.length)
    problems.push(`daily_stats: ${stored.days.length} rows, expected ${ref.days.length}`);
  const days = new Map(stored.days.map((r) => [`${String(r.symbol)}|${String(r.trade_date)}`, r]));
  for (const d of ref.days) {
    const r = days.get(`${d.symbol}|${d.tradeDate}`);
    if (!r) {
      problems.push(`daily_stats: missing ${d.symbol} ${d.tradeDate}`);
      continue;
    }
    const at = `${d.symbol} ${d.tradeDate}`;
    for (const [col, expected] of [
      ["open", d.open],
      ["high", d.high],
      ["low", d.low],
      ["close", d.close],
      ["volume", d.volume],
      ["prev_close", d.prevClose],
      ["change_pct", d.changePct],
      ["day_range", d.dayRange],
      ["vwap", d.vwap],
      ["bar_count", d.barCount],
    ] as const) {
      check(`${at} ${col}`, r[col], expected);
    }
  }

  if (stored.windows.length !== ref.windows.length)
    problems.push(`kpi_snapshots: ${stored.windows.length} rows, expected ${ref.windows.length}`);
  const wins = new Map(
    stored.windows.map((r) => [
      `${String(r.window_minutes)}|${String(r.window_start)}|${String(r.symbol)}`,
      r,
    ]),
  );
  for (const w of ref.windows) {
    const r = wins.get(`${w.windowMinutes}|${w.windowStart}|${w.symbol}`);
    if (!r) {
      problems.push(
        `kpi_snapshots: missing ${w.symbol} ${w.windowMinutes}m ${new Date(w.windowStart).toISOString()}`,
      );
      continue;
    }
    const at = `${w.symbol} ${w.windowMinutes}m ${new Date(w.windowStart).toISOString()}`;
    for (const [col, expected] of [
      ["avg_price", w.avgPrice],
      ["vwap", w.vwap],
      ["total_volume", w.totalVolume],
      ["gain_pct", w.gainPct],
      ["bar_count", w.barCount],
    ] as const) {
      check(`${at} ${col}`, r[col], expected);
    }
  }
  return problems;
}
