import { and, desc, eq, lte, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { dailyStats, type DailyStatRow } from "@/lib/db/schema";
import { buildBulkUpsert } from "@/lib/db/queries/bulk-upsert";
import type { WindowRanking } from "@/lib/db/queries/kpi-snapshots";
import { buildMoverCandidatesQuery } from "@/lib/db/queries/mover-candidates";
import { rankMovers, toDayMoverCandidate, type MoversRanking } from "@/lib/kpi/movers";
import { TRADING_DAY_WINDOW } from "@/lib/kpi/movers-window";
import { computeTradingDayWindow } from "@/lib/kpi/trading-day";
import type { DailyStat } from "@/lib/kpi/types";

/** The columns of a daily_stats row that carry a {@link DailyStat}; `updatedAt` is bookkeeping. */
export type DailyStatColumns = Omit<DailyStatRow, "updatedAt">;

// Inverse mappers that spread every other field: a column without a DailyStat field fails typecheck in
// toDailyStatColumns, a DailyStat field without a column fails in toDailyStat.

export function toDailyStat({
  updatedAt: _updatedAt,
  dayRange,
  firstBarAt,
  lastBarAt,
  ...columns
}: DailyStatRow): DailyStat {
  return { ...columns, range: dayRange, firstTs: firstBarAt.getTime(), lastTs: lastBarAt.getTime() };
}

export function toDailyStatColumns({ range, firstTs, lastTs, ...day }: DailyStat): DailyStatColumns {
  return { ...day, dayRange: range, firstBarAt: new Date(firstTs), lastBarAt: new Date(lastTs) };
}

export async function upsertDailyStats(db: DbOrTx, days: readonly DailyStat[]): Promise<void> {
  const statement = buildDailyStatsUpsert(days);
  if (statement) await db.execute(statement);
}

/** The statement of `upsertDailyStats`, to run with others; null without days. */
export function buildDailyStatsUpsert(days: readonly DailyStat[]): SQL | null {
  return buildBulkUpsert(dailyStats, days.map(toDailyStatColumns), ["symbol", "tradeDate"]);
}

/** The last `days` trading days of a symbol up to `toDate`, oldest first. */
export async function listDailyStats(
  db: DbOrTx,
  symbol: string,
  days: number,
  toDate?: string,
): Promise<DailyStat[]> {
  const rows = await db
    .select()
    .from(dailyStats)
    .where(and(eq(dailyStats.symbol, symbol), toDate ? lte(dailyStats.tradeDate, toDate) : undefined))
    .orderBy(desc(dailyStats.tradeDate))
    .limit(days);
  return rows.reverse().map(toDailyStat);
}

/**
 * Movers of one trading day by change % against the previous close (rules: `toDayMoverCandidate`,
 * `rankMovers`), from the day's candidates only (`buildMoverCandidatesQuery`): the live movers rank the day
 * every pass, and every symbol's row was read for ten.
 */
export async function listDayMovers(db: DbOrTx, tradeDate: string, limit: number): Promise<MoversRanking> {
  const d = dailyStats;
  const result = await db.execute<{
    symbol: string;
    change_pct: number;
    close: number;
    volume: string | number;
  }>(
    buildMoverCandidatesQuery({
      select: sql`${d.symbol}, ${d.changePct}, ${d.close}, ${d.volume}`,
      from: d,
      where: sql`${d.tradeDate} = ${tradeDate}`,
      gain: d.changePct,
      symbol: d.symbol,
      limit,
    }),
  );
  return rankMovers(
    result.rows.flatMap(
      (r) =>
        toDayMoverCandidate({
          symbol: r.symbol,
          changePct: r.change_pct,
          close: r.close,
          volume: Number(r.volume),
        }) ?? [],
    ),
    limit,
  );
}

/**
 * The ranking of one trading day as window `TRADING_DAY_WINDOW`, spanning the local midnights of that
 * day in `timeZone` (the exchange's): what the movers live update and GET /api/movers?window=day carry.
 */
export async function getDayMoversRanking(
  db: DbOrTx,
  tradeDate: string,
  timeZone: string,
  limit: number,
): Promise<WindowRanking> {
  const { start, end } = computeTradingDayWindow(tradeDate, timeZone);
  return {
    windowMinutes: TRADING_DAY_WINDOW,
    windowStart: start,
    windowEnd: end,
    ...(await listDayMovers(db, tradeDate, limit)),
  };
}

/** The newest trading date any symbol has. */
export async function getLatestTradeDate(db: DbOrTx): Promise<string | null> {
  const [row] = await db
    .select({ d: dailyStats.tradeDate })
    .from(dailyStats)
    .orderBy(desc(dailyStats.tradeDate))
    .limit(1);
  return row?.d ?? null;
}
