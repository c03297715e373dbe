import "server-only";

import { DAILY_HISTORY_DAYS } from "@/components/kpi/daily-history";
import { composeSymbolView, type SymbolView } from "@/components/realtime/symbol-view";
import { ApiError } from "@/lib/api/errors";
import { toSymbolSummary } from "@/lib/api/symbol-summary";
import { getEnv } from "@/lib/env";
import { getDayMoversRanking, getLatestTradeDate, listDailyStats } from "@/lib/db/queries/daily-stats";
import { getLatestFactPrice, listFactPrices } from "@/lib/db/queries/fact-prices";
import { getLatestWindowStart, listTopMovers, listWindowKpis } from "@/lib/db/queries/kpi-snapshots";
import { getSymbol, listSymbolPage, listSymbolsWithActivity, type SymbolRow } from "@/lib/db/queries/symbols";
import {
  describeWindowNotOffered,
  isKpiWindow,
  isMoversWindow,
  isTradingDayWindow,
  listMoversWindows,
  type MoversWindow,
} from "@/lib/kpi/movers-window";
import { computeRangeStart, countRangeTradingDays, type TimeRange } from "@/lib/kpi/time-range";
import { computeTradingDayWindow } from "@/lib/kpi/trading-day";
import type { MoversView, Snapshot, SymbolsResponse, SymbolSummary } from "@/lib/events/api-market";
import type { SymbolsQuery } from "@/lib/events/symbol-page";
import { toSymbolsResponse } from "@/lib/api/symbol-page";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";

import { getDb } from "./server-context";

const MAX_BARS = 10_000;

/** One page of the symbols an analyst can pick (every status but removed). */
export async function getSymbolPage(query: SymbolsQuery): Promise<SymbolsResponse> {
  const page = await listSymbolPage(getDb(), { q: query.q, limit: query.limit, after: query.cursor });
  return toSymbolsResponse(page, getEnv().INGEST_SOURCE);
}

/** A symbol as the dashboard describes it, whatever its status; null when it is not registered. */
export async function getSymbolSummary(symbol: string): Promise<SymbolSummary | null> {
  const [row] = await listSymbolsWithActivity(getDb(), { symbol, includeRemoved: true });
  return row ? toSymbolSummary(row, getEnv().INGEST_SOURCE) : null;
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
  const days = countRangeTradingDays(range);
  const newestDays = days > 0 ? await listDailyStats(db, symbol, days) : [];
  const from = computeRangeStart(
    range,
    latest.ts,
    newestDays.map((d) => d.firstTs),
  );
  return listFactPrices(db, symbol, from, latest.ts, MAX_BARS);
}

/** Bars of the trading days `fromDate` to `toDate` (both included) in the symbol's exchange time zone. */
export async function getPriceDays(symbol: SymbolRow, fromDate: string, toDate: string): Promise<FactBar[]> {
  const from = computeTradingDayWindow(fromDate, symbol.exchangeTimezone).start;
  const to = computeTradingDayWindow(toDate, symbol.exchangeTimezone).end - 1;
  return listFactPrices(getDb(), symbol.symbol, from, to, MAX_BARS);
}

/** What the KPI cards show: newest bar, its trading day, the newest window of each length. */
export async function getSnapshot(symbol: string): Promise<Snapshot> {
  const db = getDb();
  const [row] = await listSymbolsWithActivity(db, { symbol, includeRemoved: true });
  if (!row) throw new ApiError("not_found", `unknown symbol ${symbol}`);
  const latestBar = await getLatestFactPrice(db, symbol);
  const [days, ...windowLists] = await Promise.all([
    listDailyStats(db, symbol, 1),
    ...getEnv().KPI_WINDOWS.map((w) => listWindowKpis(db, symbol, w, { to: latestBar?.ts ?? 0, limit: 1 })),
  ]);
  return {
    symbol: toSymbolSummary(row, getEnv().INGEST_SOURCE),
    latestBar,
    day: days[0] ?? null,
    windows: windowLists.flat(),
  };
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
  const { KPI_WINDOWS } = getEnv();
  if (!isKpiWindow(windowMinutes, KPI_WINDOWS))
    throw new ApiError("bad_request", describeWindowNotOffered(windowMinutes, KPI_WINDOWS));
  await getSymbolOrThrow(symbol);
  return listWindowKpis(getDb(), symbol, windowMinutes, { limit });
}

/**
 * The newest ranking of a movers window: the newest trading day any symbol has (its window in the
 * deployment's exchange time zone), or the newest tumbling window of a configured length.
 */
export async function getLatestMovers(window: MoversWindow, limit: number): Promise<MoversView> {
  const db = getDb();
  const { KPI_WINDOWS, EXCHANGE_TIMEZONE } = getEnv();
  if (!isMoversWindow(window, KPI_WINDOWS))
    throw new ApiError("bad_request", describeWindowNotOffered(window, listMoversWindows(KPI_WINDOWS)));
  const empty = { windowMinutes: window, windowStart: null, windowEnd: null, gainers: [], losers: [] };
  if (isTradingDayWindow(window)) {
    const date = await getLatestTradeDate(db);
    return date ? getDayMoversRanking(db, date, EXCHANGE_TIMEZONE, limit) : empty;
  }
  const start = await getLatestWindowStart(db, window);
  if (start === null) return empty;
  const [ranking] = await listTopMovers(db, [{ windowMinutes: window, windowStart: start }], limit);
  // listTopMovers answers every window it is asked about, even one without movers.
  return ranking ?? empty;
}

/**
 * The dashboard's first view of a symbol, as the browser would build it from the REST answers
 * (composeSymbolView), so the first live reload shows the same bars.
 */
export async function getSymbolView(symbol: string, range: TimeRange): Promise<SymbolView> {
  const [bars, snapshot, days] = await Promise.all([
    getPriceRange(symbol, range),
    getSnapshot(symbol),
    getDailyStats(symbol, DAILY_HISTORY_DAYS),
  ]);
  return composeSymbolView({ bars, snapshot, days }, range);
}
