import "server-only";

import { listDownsampledCloses, listFollowedSymbolDays, type SparkRow } from "@/lib/db/queries/watchlist";
import type { WatchlistResponse } from "@/lib/events/api-market";
import { toSparkPoint, type WatchlistRow } from "@/lib/kpi/watchlist-row";
import { createLogger } from "@/lib/log";
import { createSharedRead } from "@/lib/shared-read";

import { getDb } from "./server-context";

const KEY = Symbol.for("tickstream.watchlistRead");
const logger = createLogger("web-watchlist");

/**
 * Every followed symbol's newest trading day, with its closes downsampled to `points` for the
 * sparkline: what GET /api/watchlist answers and the landing page renders first. A whole day of 1,000
 * symbols takes PostgreSQL more than half a second to downsample, and many pages ask at once (they
 * open together, and a backlog's cut sparklines send each of them back to read): the web process reads
 * it once at a time and once more for everyone who asked meanwhile (lib/shared-read.ts; the sharer
 * kept across dev reloads).
 */
export function getWatchlist(points: number): Promise<WatchlistResponse> {
  type Shared = ReturnType<typeof createSharedRead<number, WatchlistResponse>>;
  const store = globalThis as Record<symbol, Shared | undefined>;
  store[KEY] ??= createSharedRead<number, WatchlistResponse>({
    onStalled: (points) =>
      logger.warn({ points }, "a watchlist read ran past its limit; reading again beside it"),
  });
  return store[KEY](points, readWatchlist);
}

async function readWatchlist(points: number): Promise<WatchlistResponse> {
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
