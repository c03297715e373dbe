import "server-only";

import { listBarsOfDays, listFollowedSymbolDays } from "@/lib/db/queries/watchlist";
import type { WatchlistResponse } from "@/lib/events/api-market";
import { downsampleBars } from "@/lib/kpi/downsample";
import type { FactBar } from "@/lib/kpi/types";
import type { WatchlistRow } from "@/lib/kpi/watchlist-row";

import { getDb } from "./server-context";

/**
 * Every followed symbol's newest trading day, with its closes downsampled to `points` for the
 * sparkline: what GET /api/watchlist answers and the landing page renders first.
 */
export async function getWatchlist(points: number): Promise<WatchlistResponse> {
  const db = getDb();
  const followed = await listFollowedSymbolDays(db);
  const bars = await listBarsOfDays(
    db,
    followed.flatMap((f) => (f.day ? [f.day] : [])),
  );
  const barsBySymbol = new Map<string, FactBar[]>();
  for (const bar of bars) {
    const list = barsBySymbol.get(bar.symbol);
    if (list) list.push(bar);
    else barsBySymbol.set(bar.symbol, [bar]);
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
    spark: downsampleBars(barsBySymbol.get(symbol) ?? [], points).map((b) => [b.ts, b.close]),
  }));
  return { rows };
}
