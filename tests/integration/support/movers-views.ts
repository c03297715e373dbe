import type pg from "pg";
import { expect } from "vitest";

import { listTopMovers } from "@/lib/db/queries/kpi-snapshots";
import { MOVERS_LIMIT, rankMovers, toMoverCandidate, type MoversRanking } from "@/lib/kpi/movers";
import { computeWindowEnd } from "@/lib/kpi/tumbling-window";
import type { DailyStat, Mover, WindowKpi } from "@/lib/kpi/types";

import type { TestDatabase } from "../helpers";

// Shared by the movers-views*.test.ts files: the movers views repeat the movers rule of
// lib/kpi/movers.ts in SQL for BI tools, and these helpers read them back as rankings to compare.

/** What the dashboard and the worker ask for (MOVERS_LIMIT), and "everything" to compare whole views. */
const LIMITS = [MOVERS_LIMIT, 1000];

export type ViewRow = {
  window_minutes: number;
  window_start: Date;
  symbol: string;
  gain_pct: number;
  last_close: number;
  total_volume: string;
  gainer_rank: string | null;
  loser_rank: string | null;
};

export type WindowKey = { windowMinutes: number; windowStart: number };
export const keyOf = (w: WindowKey) => `${w.windowMinutes}:${w.windowStart}`;

/** A view's gainers and losers of one window, top `limit` of each, as `Mover`s. */
export function toRanking(rows: readonly ViewRow[], limit: number): MoversRanking {
  const side = (rankOf: (r: ViewRow) => string | null): Mover[] =>
    rows
      .flatMap((r) => {
        const rank = rankOf(r);
        return rank === null || Number(rank) > limit ? [] : [{ row: r, rank: Number(rank) }];
      })
      .sort((a, b) => a.rank - b.rank)
      .map(({ row, rank }) => ({
        symbol: row.symbol,
        gainPct: row.gain_pct,
        lastClose: row.last_close,
        totalVolume: Number(row.total_volume),
        rank,
      }));
  return { gainers: side((r) => r.gainer_rank), losers: side((r) => r.loser_rank) };
}

export function groupByWindow<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

export const viewKey = (r: ViewRow) => `${r.window_minutes}:${r.window_start.getTime()}`;

/** Every row of a view, through the owner's pool or the BI role's client. */
export async function readView(client: pg.Pool | pg.Client, view: string): Promise<ViewRow[]> {
  const { rows } = await (client as pg.Pool).query<ViewRow>(`select * from ${view}`);
  return rows;
}

/**
 * Checks every window of `snapshots` in every view and list query against `rankMovers`. A view row is
 * a gainer or a loser, never both and never neither, so the whole view is the union of the full lists.
 */
export async function expectViewsToMatchRule(
  database: TestDatabase,
  bi: pg.Client,
  snapshots: readonly WindowKpi[],
): Promise<void> {
  const byWindow = groupByWindow(snapshots, (s) => keyOf(s));
  const windows = [...byWindow.values()].map(([s]) => ({
    windowMinutes: s!.windowMinutes,
    windowStart: s!.windowStart,
  }));
  const views = {
    "public.top_movers": groupByWindow(await readView(database.db.$client, "public.top_movers"), viewKey),
    "bi.top_movers": groupByWindow(await readView(bi, "bi.top_movers"), viewKey),
  };
  for (const limit of LIMITS) {
    const listed = new Map((await listTopMovers(database.db, windows, limit)).map((r) => [keyOf(r), r]));
    for (const w of windows) {
      const expected = rankMovers(byWindow.get(keyOf(w))!.map(toMoverCandidate), limit);
      const where = `${w.windowMinutes}-minute window at ${new Date(w.windowStart).toISOString()}, limit ${limit}`;
      expect(listed.get(keyOf(w)), `listTopMovers, ${where}`).toEqual({
        ...w,
        windowEnd: computeWindowEnd(w.windowStart, w.windowMinutes),
        ...expected,
      });
      for (const [name, rows] of Object.entries(views))
        expect(toRanking(rows.get(keyOf(w)) ?? [], limit), `${name}, ${where}`).toEqual(expected);
    }
  }
  for (const [name, rows] of Object.entries(views)) {
    const all = windows.flatMap((w) => rows.get(keyOf(w)) ?? []);
    const movers = windows.map((w) => rankMovers(byWindow.get(keyOf(w))!.map(toMoverCandidate), Infinity));
    expect(all.length, `${name}: one row per mover`).toBe(
      movers.reduce((n, r) => n + r.gainers.length + r.losers.length, 0),
    );
    for (const r of all)
      expect((r.gainer_rank === null) !== (r.loser_rank === null), `${name}: ${JSON.stringify(r)}`).toBe(
        true,
      );
  }
}

export const M = 60_000;
/** Far after the recorded data, so each scenario below is the newest window while it is checked. */
export const BASE = Date.parse("2031-06-02T14:00:00Z");

export function buildSnapshot(
  symbol: string,
  windowMinutes: number,
  windowStart: number,
  gainPct: number,
): WindowKpi {
  const lastClose = 100 + symbol.length + gainPct;
  return {
    symbol,
    windowMinutes,
    windowStart,
    windowEnd: computeWindowEnd(windowStart, windowMinutes),
    avgPrice: lastClose,
    vwap: lastClose,
    totalVolume: 1000 * symbol.charCodeAt(0),
    gainPct,
    firstOpen: 100,
    lastClose,
    high: lastClose + 1,
    low: 99,
    barCount: windowMinutes,
  };
}

export function buildDay(symbol: string, tradeDate: string, changePct: number | null): DailyStat {
  return {
    symbol,
    tradeDate,
    open: 100,
    high: 110,
    low: 90,
    close: 100 + (changePct ?? 0),
    volume: 5000 + symbol.charCodeAt(0),
    prevClose: changePct === null ? null : 100,
    changePct,
    range: 20,
    rangePct: 22.2,
    vwap: 100,
    barCount: 390,
    firstTs: Date.parse(`${tradeDate}T13:30:00Z`),
    lastTs: Date.parse(`${tradeDate}T19:59:00Z`),
  };
}
