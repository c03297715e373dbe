import { and, eq, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { streamOffsets } from "@/lib/db/schema";

export type OffsetKey = { consumerGroup: string; topic: string; partition: number };

/**
 * Locks the offset row of a partition for the rest of the transaction and returns the next offset to
 * apply. A missing row is created with `initial` (the first offset this worker was handed). Two
 * processes that both believe they own the partition serialise here; the second one sees the first
 * one's progress.
 */
export async function lockStreamOffset(tx: DbOrTx, key: OffsetKey, initial: number): Promise<number> {
  // One round trip: a conflicting insert that "updates" the row to itself locks it (as FOR UPDATE
  // would) and returns the stored value; a racing member waits here for the holder's commit.
  const [row] = await tx
    .insert(streamOffsets)
    .values({ ...key, nextOffset: initial })
    .onConflictDoUpdate({
      target: [streamOffsets.consumerGroup, streamOffsets.topic, streamOffsets.partition],
      set: { nextOffset: sql`${sql.identifier("stream_offsets")}.${sql.identifier("next_offset")}` },
    })
    .returning({ nextOffset: streamOffsets.nextOffset });
  if (!row) throw new Error(`stream offset row of ${key.topic}/${key.partition} vanished`);
  return row.nextOffset;
}

/** The statement that saves a partition's next offset, run with the batch's rows (`executeAsOneStatement`). */
export function buildStreamOffsetSave(tx: DbOrTx, key: OffsetKey, nextOffset: number): SQL {
  return tx
    .update(streamOffsets)
    .set({ nextOffset, updatedAt: sql`now()` })
    .where(
      and(
        eq(streamOffsets.consumerGroup, key.consumerGroup),
        eq(streamOffsets.topic, key.topic),
        eq(streamOffsets.partition, key.partition),
      ),
    )
    .getSQL();
}

/** Stored next offsets of a group and topic, by partition. */
export async function listStreamOffsets(
  db: DbOrTx,
  consumerGroup: string,
  topic: string,
): Promise<Map<number, number>> {
  const rows = await db
    .select()
    .from(streamOffsets)
    .where(and(eq(streamOffsets.consumerGroup, consumerGroup), eq(streamOffsets.topic, topic)));
  return new Map(rows.map((r) => [r.partition, r.nextOffset]));
}
