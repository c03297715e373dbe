import { and, between, eq, lt, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { rawTicks } from "@/lib/db/schema";
import { copyRows } from "@/lib/db/queries/bulk-copy";
import { buildBulkUpsert } from "@/lib/db/queries/bulk-upsert";
import type { TickV1 } from "@/lib/events/tick-v1";

export type LandedTick = { topic: string; partition: number; offset: number; tick: TickV1 };

/** Lands accepted events; a replayed offset is ignored (the key is topic, partition, offset). */
export async function insertRawTicks(db: DbOrTx, ticks: readonly LandedTick[]): Promise<void> {
  const statement = buildRawTicksInsert(ticks);
  if (statement) await db.execute(statement);
}

/** One landed event as a raw_ticks row; timestamps as epoch ms, no Date per event. */
export function toRawTickRow({ topic, partition, offset, tick }: LandedTick) {
  return {
    topic,
    partition,
    kafkaOffset: offset,
    symbol: tick.symbol,
    ts: tick.ts,
    open: tick.open,
    high: tick.high,
    low: tick.low,
    close: tick.close,
    volume: tick.volume,
    source: tick.source,
    producedAt: tick.producedAt,
  };
}

/** The statement of `insertRawTicks`, to run with others; null without ticks. */
export function buildRawTicksInsert(ticks: readonly LandedTick[]): SQL | null {
  return buildBulkUpsert(rawTicks, ticks.map(toRawTickRow), ["topic", "partition", "kafkaOffset"], "nothing");
}

/**
 * Fewer rows than this go as an insert with the batch's other writes. A copy takes two round trips of
 * its own (the check below, then the copy's start, data and end) and pg-copy-streams' stream machinery:
 * at a steady 2,000 events/s batches hold about 40 events, and the copy's fixed cost outweighed what it
 * saves PostgreSQL per row (README, "Twelfth step").
 */
export const MIN_COPY_ROWS = 256;

/**
 * Lands the accepted events of one partition's batch in the caller's transaction as `insertRawTicks`
 * does (an offset landed before keeps its row), at about half PostgreSQL's cost when none of the batch's
 * offsets has landed yet and the batch has at least MIN_COPY_ROWS: it then copies them (`copyRows`), and a
 * copy cannot skip a row that exists.
 * The stream worker lands an offset in the transaction that advances the partition's stored offset past
 * it, and the members of one consumer group take turns on that row (`lockStreamOffset`). So a landed row
 * in the batch's range means that another consumer group lands the topic into this database, or that an
 * operator moved the stored offsets back: those batches insert. Should another group land the same
 * offsets between this check and the copy, the copy fails on the primary key, the batch rolls back, and
 * its retry finds the rows and inserts. Returns the insert to run with the batch's other writes, or null
 * when it copied (or had nothing to land).
 */
export async function landRawTicks(
  tx: DbOrTx,
  ticks: readonly LandedTick[],
  { minCopyRows = MIN_COPY_ROWS }: { minCopyRows?: number } = {},
): Promise<SQL | null> {
  const first = ticks[0];
  if (!first) return null;
  if (ticks.length < minCopyRows) return buildRawTicksInsert(ticks);
  let low = first.offset;
  let high = first.offset;
  for (const t of ticks) {
    if (t.topic !== first.topic || t.partition !== first.partition) return buildRawTicksInsert(ticks);
    if (t.offset < low) low = t.offset;
    if (t.offset > high) high = t.offset;
  }
  const landed = await tx
    .select({ offset: rawTicks.kafkaOffset })
    .from(rawTicks)
    .where(
      and(
        eq(rawTicks.topic, first.topic),
        eq(rawTicks.partition, first.partition),
        between(rawTicks.kafkaOffset, low, high),
      ),
    )
    .limit(1);
  if (landed.length > 0) return buildRawTicksInsert(ticks);
  return (await copyRows(tx, rawTicks, ticks.map(toRawTickRow))) ? null : buildRawTicksInsert(ticks);
}

/** Retention: deletes events received before `cutoff`. */
export async function deleteRawTicksBefore(db: DbOrTx, cutoff: number): Promise<number> {
  const result = await db.delete(rawTicks).where(lt(rawTicks.receivedAt, new Date(cutoff)));
  return result.rowCount ?? 0;
}
