import { and, desc, eq, gte, lte, or } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { kpiSnapshots, topMovers, type KpiSnapshotRow } from "@/lib/db/schema";
import { bulkUpsert } from "@/lib/db/queries/bulk-upsert";
import type { Mover, WindowKpi } from "@/lib/kpi/types";

/** The columns of a kpi_snapshots row that carry a {@link WindowKpi}; `updatedAt` is bookkeeping. */
export type KpiSnapshotColumns = Omit<KpiSnapshotRow, "updatedAt">;

// Inverse mappers that spread every other field: a column without a WindowKpi field fails typecheck in
// toKpiSnapshotColumns, a WindowKpi field without a column fails in toWindowKpi.

export function toWindowKpi({
  updatedAt: _updatedAt,
  windowStart,
  windowEnd,
  ...columns
}: KpiSnapshotRow): WindowKpi {
  return { ...columns, windowStart: windowStart.getTime(), windowEnd: windowEnd.getTime() };
}

export function toKpiSnapshotColumns(window: WindowKpi): KpiSnapshotColumns {
  return { ...window, windowStart: new Date(window.windowStart), windowEnd: new Date(window.windowEnd) };
}

export async function upsertKpiSnapshots(db: DbOrTx, windows: readonly WindowKpi[]): Promise<void> {
  await bulkUpsert(db, kpiSnapshots, windows.map(toKpiSnapshotColumns), [
    "windowMinutes",
    "windowStart",
    "symbol",
  ]);
}

/** Windows of one symbol and length in [from, to], oldest first, at most `limit` (newest kept). */
export async function listWindowKpis(
  db: DbOrTx,
  symbol: string,
  windowMinutes: number,
  from: number,
  to: number,
  limit: number,
) {
  const rows = await db
    .select()
    .from(kpiSnapshots)
    .where(
      and(
        eq(kpiSnapshots.symbol, symbol),
        eq(kpiSnapshots.windowMinutes, windowMinutes),
        gte(kpiSnapshots.windowStart, new Date(from)),
        lte(kpiSnapshots.windowStart, new Date(to)),
      ),
    )
    .orderBy(desc(kpiSnapshots.windowStart))
    .limit(limit);
  return rows.reverse().map(toWindowKpi);
}

export type WindowRanking = {
  windowMinutes: number;
  windowStart: number;
  windowEnd: number;
  gainers: Mover[];
  losers: Mover[];
};

/** Top `limit` gainers (gain > 0) and losers (gain < 0) of each (window length, window start), from the top_movers view. */
export async function listTopMovers(
  db: DbOrTx,
  windows: readonly { windowMinutes: number; windowStart: number }[],
  limit: number,
): Promise<WindowRanking[]> {
  if (windows.length === 0) return [];
  const rows = await db
    .select()
    .from(topMovers)
    .where(
      and(
        or(
          ...windows.map((w) =>
            and(
              eq(topMovers.windowMinutes, w.windowMinutes),
              eq(topMovers.windowStart, new Date(w.windowStart)),
            ),
          ),
        ),
        or(lte(topMovers.gainerRank, limit), lte(topMovers.loserRank, limit)),
      ),
    );
  return windows.map((w) => {
    const mine = rows.filter(
      (r) => r.windowMinutes === w.windowMinutes && r.windowStart.getTime() === w.windowStart,
    );
    const toMover = (r: (typeof rows)[number], rank: number): Mover => ({
      symbol: r.symbol,
      gainPct: r.gainPct,
      lastClose: r.lastClose,
      totalVolume: r.totalVolume,
      rank,
    });
    return {
      windowMinutes: w.windowMinutes,
      windowStart: w.windowStart,
      windowEnd: w.windowStart + w.windowMinutes * 60_000,
      // A gainer went up and a loser went down: with few symbols the top-5 lists would otherwise
      // overlap and show falls among the gainers.
      gainers: mine
        .filter((r) => r.gainerRank <= limit && r.gainPct > 0)
        .sort((a, b) => a.gainerRank - b.gainerRank)
        .map((r) => toMover(r, r.gainerRank)),
      losers: mine
        .filter((r) => r.loserRank <= limit && r.gainPct < 0)
        .sort((a, b) => a.loserRank - b.loserRank)
        .map((r) => toMover(r, r.loserRank)),
    };
  });
}

/** Start of the newest window of a length that any symbol has. */
export async function getLatestWindowStart(db: DbOrTx, windowMinutes: number): Promise<number | null> {
  const [row] = await db
    .select({ start: kpiSnapshots.windowStart })
    .from(kpiSnapshots)
    .where(eq(kpiSnapshots.windowMinutes, windowMinutes))
    .orderBy(desc(kpiSnapshots.windowStart))
    .limit(1);
  return row ? row.start.getTime() : null;
}
