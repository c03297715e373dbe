import "server-only";

import { ApiError } from "@/lib/api/errors";
import { getEnv } from "@/lib/env";
import { getLatestTradeDate, listDailyStats, listDayMovers } from "@/lib/db/queries/daily-stats";
import { getLatestFactPrice, listFactPrices } from "@/lib/db/queries/fact-prices";
import { getLatestWindowStart, listTopMovers, listWindowKpis } from "@/lib/db/queries/kpi-snapshots";
import { getSymbol, listSymbols, type SymbolRow } from "@/lib/db/queries/symbols";
import type { TimeRange } from "@/lib/kpi/time-range";
import type { MoversView, Snapshot, SymbolSummary } from "@/lib/api/types";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";

import { getDb } from "./server-context";

const MAX_BARS = 10_000;

export function toSymbolSummary(row: SymbolRow): SymbolSummary {
  return {
    symbol: row.symbol,
    displayName: row.displayName,
    status: row.status,
    statusReason: row.statusReason,
    source: row.source ?? getEnv().INGEST_SOURCE,
    marketState: row.marketState,
    exchangeTimezone: row.exchangeTimezone,
    lastTickAt: row.lastTickAt?.getTime() ?? null,
  };
}

/** Symbols an analyst can pick (every status but removed). */
export async function getSymbolSummaries(): Promise<SymbolSummary[]> {
  return (await listSymbols(getDb())).map(toSymbolSummary);
}

export async function getSymbolOrThrow(symbol: string): Promise<SymbolRow> {
  const row = await getSymbol(getDb(), symbol);
  if (!row) throw new ApiError("not_found", `unknown symbol ${symbol}`);
  return row;
}

/** Bars of a range ending at the symbol's newest bar (see lib/kpi/time-range.ts). */
export async function getPriceRange(symbol: string, range: TimeRange): Promise<FactBar[]> {
  const db = getDb();
  const latest = await getLatestFactPrice(db, symbol);
  if (!latest) return [];
  let from: number;
  if (range === "1h") from = latest.ts - 59 * 60_000;
  else {
    const days = await listDailyStats(db, symbol, range === "session" ? 1 : 5);
    from = days[0]?.firstTs ?? latest.ts;
  }
  return listFactPrices(db, symbol, from, latest.ts, MAX_BARS);
}

/** What the KPI cards show: newest bar, its trading day, the newest window of each length. */
export async function getSnapshot(symbol: string): Promise<Snapshot> {
  const db = getDb();
  const row = await getSymbolOrThrow(symbol);
  const latestBar = await getLatestFactPrice(db, symbol);
  const [days, ...windowLists] = await Promise.all([
    listDailyStats(db, symbol, 1),
    ...getEnv().KPI_WINDOWS.map((w) => listWindowKpis(db, symbol, w, 0, latestBar?.ts ?? 0, 1)),
  ]);
  return { symbol: toSymbolSummary(row), latestBar, day: days[0] ?? null, windows: windowLists.flat() };
}

export async function getDailyStats(symbol: string, days: number): Promise<DailyStat[]> {
  await getSymbolOrThrow(symbol);
  return listDailyStats(getDb(), symbol, days);
}

export async function getWindowKpis(
  symbol: string,
  windowMinutes: number,
  limit: number,
): Promise<WindowKpi[]> {
  await getSymbolOrThrow(symbol);
  return listWindowKpis(getDb(), symbol, windowMinutes, 0, Date.now() + 10 * 365 * 86_400_000, limit);
}

/** The newest window's ranking (windowMinutes 0 = the newest trading day by change %). */
export async function getLatestMovers(window: number | "day", limit: number): Promise<MoversView> {
  const db = getDb();
  if (window === "day") {
    const date = await getLatestTradeDate(db);
    if (!date) return { windowMinutes: 0, windowStart: null, windowEnd: null, gainers: [], losers: [] };
    const start = Date.parse(`${date}T00:00:00Z`);
    return {
      windowMinutes: 0,
      windowStart: start,
      windowEnd: start + 86_400_000,
      ...(await listDayMovers(db, date, limit)),
    };
  }
  if (!getEnv().KPI_WINDOWS.includes(window))
    throw new ApiError("bad_request", `window must be one of ${getEnv().KPI_WINDOWS.join(", ")} or day`);
  const start = await getLatestWindowStart(db, window);
  if (start === null)
    return { windowMinutes: window, windowStart: null, windowEnd: null, gainers: [], losers: [] };
  const [ranking] = await listTopMovers(db, [{ windowMinutes: window, windowStart: start }], limit);
  return (
    ranking ?? {
      windowMinutes: window,
      windowStart: start,
      windowEnd: start + window * 60_000,
      gainers: [],
      losers: [],
    }
  );
}
