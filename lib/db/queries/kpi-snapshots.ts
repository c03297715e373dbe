import { and, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { kpiSnapshots, type KpiSnapshotRow } from "@/lib/db/schema";
import { buildBulkUpsert } from "@/lib/db/queries/bulk-upsert";
import { buildMoverCandidatesQuery } from "@/lib/db/queries/mover-candidates";
import { rankMovers, type MoverCandidate } from "@/lib/kpi/movers";
import { computeWindowEnd } from "@/lib/kpi/tumbling-window";
import type { MoversKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { WithKeysOf } from "@/lib/events/same-shape";
import type { WindowKpi } from "@/lib/kpi/types";

/** The columns of a kpi_snapshots row that carry a {@link WindowKpi}; `updatedAt` is bookkeeping. */
export type KpiSnapshotColumns = Omit<KpiSnapshotRow, "updatedAt">;

// A WindowKpi has exactly the columns of its row, its window's bounds in epoch ms rather than Dates:
// the bulk upsert writes windows as they are (buildKpiSnapshotsUpsert, where typecheck fails on a column
// without a field or a field without a column), and toWindowKpi reads them back.

export function toWindowKpi({
  updatedAt: _updatedAt,
  windowStart,
  windowEnd,
  ...columns
}: KpiSnapshotRow): WindowKpi {
  return { ...columns, windowStart: windowStart.getTime(), windowEnd: windowEnd.getTime() };
}

export async function upsertKpiSnapshots(db: DbOrTx, windows: readonly WindowKpi[]): Promise<void> {
  const statement = buildKpiSnapshotsUpsert(windows);
  if (statement) await db.execute(statement);
}

/** The statement of `upsertKpiSnapshots`, to run with others; null without windows. */
export function buildKpiSnapshotsUpsert(windows: readonly WindowKpi[]): SQL | null {
  // No row object or Date per window: the bounds go as epoch ms.
  const rows: readonly WithKeysOf<WindowKpi, KpiSnapshotColumns>[] = windows;
  return buildBulkUpsert(kpiSnapshots, rows, ["windowMinutes", "windowStart", "symbol"]);
}

/**
 * Windows of one symbol and length starting in [from, to], oldest first, at most `limit` (newest kept).
 * Without `from` or `to` that side is open.
 */
export async function listWindowKpis(
  db: DbOrTx,
  symbol: string,
  windowMinutes: number,
  range: { from?: number; to?: number; limit: number },
) {
  const rows = await db
    .select()
    .from(kpiSnapshots)
    .where(
      and(
        eq(kpiSnapshots.symbol, symbol),
        eq(kpiSnapshots.windowMinutes, windowMinutes),
        range.from === undefined ? undefined : gte(kpiSnapshots.windowStart, new Date(range.from)),
        range.to === undefined ? undefined : lte(kpiSnapshots.windowStart, new Date(range.to)),
      ),
    )
    .orderBy(desc(kpiSnapshots.windowStart))
    .limit(range.limit);
  return rows.reverse().map(toWindowKpi);
}

/** A ranking as the movers live update carries it, without the envelope. */
export type WindowRanking = Omit<MoversKpiUpdateV1, "v" | "type" | "publishedAt">;

/**
 * Movers of each (window length, window start) from its snapshots (rule: `rankMovers`). The rows are
 * ranked here rather than read from the `top_movers` view, which repeats the rule for BI tools.
 * PostgreSQL returns only each window's candidates (`buildMoverCandidatesQuery`), not every symbol's row:
 * the worker ranks the touched windows every second, and reading thousands of rows to keep ten cost
 * more than the ranking. tests/integration/movers-views.test.ts checks it against the whole window.
 */
export async function listTopMovers(
  db: DbOrTx,
  windows: readonly { windowMinutes: number; windowStart: number }[],
  limit: number,
): Promise<WindowRanking[]> {
  if (windows.length === 0) return [];
  // Each window once: the lateral join below returns a window's candidates once per time it is listed.
  const distinct = [...new Map(windows.map((w) => [`${w.windowMinutes}:${w.windowStart}`, w])).values()];
  const k = kpiSnapshots;
  // One pair of arrays rather than an OR per window: the statement stays short however many windows
  // a pass touched (an OR list of hundreds of windows ran to 63 KB of SQL to parse and plan).
  const result = await db.execute<{
    minutes: number;
    start: string;
    symbol: string;
    gain_pct: number;
    last_close: number;
    total_volume: string | number;
  }>(sql`select w.minutes, extract(epoch from w.start) * 1000 as start, m.*
    from unnest(cast(${sql.param(distinct.map((w) => w.windowMinutes))} as integer[]),
                cast(${sql.param(distinct.map((w) => new Date(w.windowStart).toISOString()))} as timestamptz[])) as w(minutes, start)
    cross join lateral (${buildMoverCandidatesQuery({
      select: sql`${k.symbol}, ${k.gainPct}, ${k.lastClose}, ${k.totalVolume}`,
      from: k,
      where: sql`${k.windowMinutes} = w.minutes and ${k.windowStart} = w.start`,
      gain: k.gainPct,
      symbol: k.symbol,
      limit,
    })}) as m`);
  const byWindow = new Map<string, MoverCandidate[]>();
  for (const row of result.rows) {
    const key = `${row.minutes}:${Number(row.start)}`;
    const candidate: MoverCandidate = {
      symbol: row.symbol,
      gainPct: row.gain_pct,
      lastClose: row.last_close,
      totalVolume: Number(row.total_volume),
    };
    const list = byWindow.get(key);
    if (list) list.push(candidate);
    else byWindow.set(key, [candidate]);
  }
  return windows.map((w) => ({
    windowMinutes: w.windowMinutes,
    windowStart: w.windowStart,
    windowEnd: computeWindowEnd(w.windowStart, w.windowMinutes),
    ...rankMovers(byWindow.get(`${w.windowMinutes}:${w.windowStart}`) ?? [], limit),
  }));
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
