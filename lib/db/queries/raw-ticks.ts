import { lt, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { rawTicks } from "@/lib/db/schema";
import { buildBulkUpsert } from "@/lib/db/queries/bulk-upsert";
import type { TickV1 } from "@/lib/events/tick-v1";

export type LandedTick = { topic: string; partition: number; offset: number; tick: TickV1 };

/** Lands accepted events; a replayed offset is ignored (the key is topic, partition, offset). */
export async function insertRawTicks(db: DbOrTx, ticks: readonly LandedTick[]): Promise<void> {
  const statement = buildRawTicksInsert(ticks);
  if (statement) await db.execute(statement);
}

/** The statement of `insertRawTicks`, to run with others; null without ticks. */
export function buildRawTicksInsert(ticks: readonly LandedTick[]): SQL | null {
  // Timestamps as epoch ms: no Date per event.
  return buildBulkUpsert(
    rawTicks,
    ticks.map(({ topic, partition, offset, tick }) => ({
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
    })),
    ["topic", "partition", "kafkaOffset"],
    "nothing",
  );
}

/** Retention: deletes events received before `cutoff`. */
export async function deleteRawTicksBefore(db: DbOrTx, cutoff: number): Promise<number> {
  const result = await db.delete(rawTicks).where(lt(rawTicks.receivedAt, new Date(cutoff)));
  return result.rowCount ?? 0;
}
