import { and, asc, eq, inArray, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { dailyStats, factPrices, symbols } from "@/lib/db/schema";
import { toDailyStat } from "@/lib/db/queries/daily-stats";
import { toFactBar } from "@/lib/db/queries/fact-prices";
import type { DailyStat, FactBar } from "@/lib/kpi/types";
import type { WatchlistStatus } from "@/lib/kpi/watchlist-row";

const FOLLOWED: WatchlistStatus[] = ["active", "paused"];

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

/**
 * The bars of the given (symbol, trading day) pairs, by symbol then time, in one statement: the pairs
 * go in as two arrays (unnest), so 500 symbols cost two parameters, not a thousand.
 */
export async function listBarsOfDays(
  db: DbOrTx,
  days: readonly Pick<DailyStat, "symbol" | "tradeDate">[],
): Promise<FactBar[]> {
  if (days.length === 0) return [];
  const names = days.map((d) => d.symbol);
  const dates = days.map((d) => d.tradeDate);
  const rows = await db
    .select()
    .from(factPrices)
    .where(
      sql`(${factPrices.symbol}, ${factPrices.tradeDate}) in (select * from unnest(cast(${sql.param(names)} as text[]), cast(${sql.param(dates)} as date[])))`,
    )
    .orderBy(asc(factPrices.symbol), asc(factPrices.ts));
  return rows.map(toFactBar);
}
