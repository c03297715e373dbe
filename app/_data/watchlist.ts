import "server-only";

import { listDownsampledCloses, listFollowedSymbolDays, type SparkRow } from "@/lib/db/queries/watchlist";
import type { WatchlistResponse } from "@/lib/events/api-market";
import { toSparkPoint, type WatchlistRow } from "@/lib/kpi/watchlist-row";

import { getDb } from "./server-context";

/**
 * Every followed symbol's newest trading day, with its closes downsampled to `points` for the
 * sparkline: what GET /api/watchlist answers and the landing page renders first.
 */
export async function getWatchlist(points: number): Promise<WatchlistResponse> {
  const db = getDb();
  const followed = await listFollowedSymbolDays(db);
  const closes = await listDownsampledCloses(
    db,
    followed.flatMap((f) => (f.day ? [f.day] : [])),
    points,
  );
  const closesBySymbol = new Map<string, SparkRow[]>();
  for (const point of closes) {
    const list = closesBySymbol.get(point.symbol);
    if (list) list.push(point);
    else closesBySymbol.set(point.symbol, [point]);
  }
  const rows = followed.map(({ symbol, displayName, status, day }): WatchlistRow => ({
    symbol,
    displayName,
    status,
    tradeDate: day?.tradeDate ?? null,
    lastTs: day?.lastTs ?? null,
    last: day?.close ?? null,
    changePct: day?.changePct ?? null,
    volume: day?.volume ?? null,
    dayHigh: day?.high ?? null,
    dayLow: day?.low ?? null,
    spark: (closesBySymbol.get(symbol) ?? []).map(toSparkPoint),
  }));
  return { rows };
}
