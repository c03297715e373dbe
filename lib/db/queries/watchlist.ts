import { and, asc, eq, inArray, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { dailyStats, factPrices, symbols } from "@/lib/db/schema";
import { toDailyStat } from "@/lib/db/queries/daily-stats";
import { FOLLOWED_STATUSES } from "@/lib/events/symbol";
import type { DailyStat } from "@/lib/kpi/types";
import type { WatchlistStatus } from "@/lib/kpi/watchlist-row";

const FOLLOWED = [...FOLLOWED_STATUSES];

/** A followed symbol (active or paused) with its newest trading day; null before its first bar. */
export type FollowedSymbolDay = {
  symbol: string;
  displayName: string | null;
  status: WatchlistStatus;
  day: DailyStat | null;
};

/** Every followed symbol by symbol, each with its newest daily_stats row (one index walk per symbol). */
export async function listFollowedSymbolDays(db: DbOrTx): Promise<FollowedSymbolDay[]> {
  const [followed, days] = await Promise.all([
    db
      .select({ symbol: symbols.symbol, displayName: symbols.displayName, status: symbols.status })
      .from(symbols)
      .where(inArray(symbols.status, FOLLOWED))
      .orderBy(asc(symbols.symbol)),
    db
      .select({ day: dailyStats })
      .from(dailyStats)
      .innerJoin(symbols, eq(symbols.symbol, dailyStats.symbol))
      .where(
        and(
          inArray(symbols.status, FOLLOWED),
          sql`${dailyStats.tradeDate} = (select max(newest.trade_date) from ${dailyStats} as newest where newest.symbol = ${symbols.symbol})`,
        ),
      ),
  ]);
  const bySymbol = new Map(days.map(({ day }) => [day.symbol, toDailyStat(day)]));
  return followed.map((s) => ({
    symbol: s.symbol,
    displayName: s.displayName,
    // The query asked for these two statuses only.
    status: s.status as WatchlistStatus,
    day: bySymbol.get(s.symbol) ?? null,
  }));
}

/** One point of a symbol's downsampled day: the first bar's start and the last bar's close of its run. */
export type SparkRow = { symbol: string; ts: number; close: number };

/**
 * The given (symbol, trading day) pairs' bars reduced to at most `points` per symbol, by symbol then
 * time: runs of ceil(n / points) consecutive bars, each the start of its first bar and the close of
 * its last, which is lib/kpi/downsample.ts downsampleBars' rule for ts and close, repeated here so that
 * a day of 500 symbols (200,000 bars) sends 500 × `points` rows to the web process instead of every
 * bar (tests/integration/watchlist-queries.test.ts pins the two together on the same bars). The pairs
 * go in as two arrays (unnest): two parameters, not a thousand.
 */
export async function listDownsampledCloses(
  db: DbOrTx,
  days: readonly Pick<DailyStat, "symbol" | "tradeDate">[],
  points: number,
): Promise<SparkRow[]> {
  if (days.length === 0) return [];
  const names = days.map((d) => d.symbol);
  const dates = days.map((d) => d.tradeDate);
  // One window (numbering and counting a symbol's bars in one pass, integer arithmetic only), and of
  // each run only its first and last bars aggregated: half the time of two windows and an ordered
  // array_agg over every bar (README, Benchmarks: a day of 1,000 symbols, median 0.62 s against 0.95 s).
  const result = await db.execute<{ symbol: string; ts: Date; close: number }>(sql`
    select symbol, min(ts) as ts, max(close) filter (where is_last) as close
    from (
      select symbol, ts, close, rn / per_run as run, rn % per_run as at,
        rn % per_run = per_run - 1 or rn = n - 1 as is_last
      from (
        select f.symbol, f.ts, f.close, row_number() over bars - 1 as rn, count(*) over bars as n,
          (count(*) over bars + ${points}::int - 1) / ${points}::int as per_run
        from ${factPrices} as f
        where (f.symbol, f.trade_date) in (
          select * from unnest(cast(${sql.param(names)} as text[]), cast(${sql.param(dates)} as date[]))
        )
        -- The whole partition as the frame: count(*) is the day's bar count, not a running count.
        window bars as (
          partition by f.symbol order by f.ts rows between unbounded preceding and unbounded following
        )
      ) as numbered
    ) as marked
    where at = 0 or is_last
    group by symbol, run`);
  return result.rows
    .map((r) => ({ symbol: r.symbol, ts: new Date(r.ts).getTime(), close: Number(r.close) }))
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.ts - b.ts));
}
