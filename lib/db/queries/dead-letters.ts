import { and, asc, count, inArray, isNull, lt, min, sql } from "drizzle-orm";

import type { Db, DbOrTx } from "@/lib/db/client";
import { bulkUpsert } from "@/lib/db/queries/bulk-upsert";
import { deadLetters, type DeadLetterRow, type NewDeadLetterRow } from "@/lib/db/schema";
import { withSessionLock } from "@/lib/db/session-lock";

/** A new outbox row: everything but the columns the database fills (`seq`, publishing state). */
export type RecordedDeadLetter = Omit<NewDeadLetterRow, "seq" | "publishedAt" | "attempts" | "lastError">;

/**
 * Records dead letters in the caller's transaction. A letter already recorded for the same source
 * coordinates (a retried batch, a partition taken over by another worker) is left as it is.
 */
export async function insertDeadLetters(tx: DbOrTx, letters: readonly RecordedDeadLetter[]): Promise<void> {
  await bulkUpsert(
    tx,
    deadLetters,
    letters.map((l) => ({
      sourceTopic: l.sourceTopic,
      sourcePartition: l.sourcePartition,
      sourceOffset: l.sourceOffset,
      messageKey: l.messageKey ?? null,
      value: l.value ?? null,
      valueBytes: l.valueBytes,
      reasonClass: l.reasonClass,
      reason: l.reason,
      failedAt: l.failedAt,
    })),
    ["sourceTopic", "sourcePartition", "sourceOffset"],
    "nothing",
  );
}

/** Arbitrary constant (next to lib/db/migrate.ts's): the one dead-letter relay of a database at a time. */
const RELAY_LOCK_KEY = 7_245_311_003;

/**
 * Runs one relay pass under the relay lock, on the connection that holds it (see withSessionLock: no
 * transaction stays open while the pass waits for the broker); null when another relay (another
 * stream worker) holds it. One relay at a time keeps the topic in recording order: two relays taking
 * disjoint rows could each publish part of a partition's letters and interleave them.
 */
export function withDeadLetterRelayLock<T>(
  db: Db,
  pass: (connection: DbOrTx) => Promise<T>,
): Promise<T | null> {
  return withSessionLock(db, RELAY_LOCK_KEY, pass);
}

/**
 * The oldest `limit` unpublished letters in recording order. Read without row locks by the one relay
 * that holds the relay lock: the retention sweep deletes only published letters, and the mark that
 * follows the send changes only letters still unpublished.
 */
export async function listUnpublishedDeadLetters(db: DbOrTx, limit: number): Promise<DeadLetterRow[]> {
  return db
    .select()
    .from(deadLetters)
    .where(isNull(deadLetters.publishedAt))
    .orderBy(asc(deadLetters.seq))
    .limit(limit);
}

const bySeq = (seqs: readonly number[]) => inArray(deadLetters.seq, [...seqs]);

export async function markDeadLettersPublished(tx: DbOrTx, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await tx
    .update(deadLetters)
    .set({ publishedAt: sql`now()`, lastError: null })
    .where(and(bySeq(seqs), isNull(deadLetters.publishedAt)));
}

/** Counts a failed publish attempt on letters that are still unpublished. */
export async function recordDeadLetterAttempt(
  db: DbOrTx,
  seqs: readonly number[],
  error: string,
): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .update(deadLetters)
    .set({ attempts: sql`${deadLetters.attempts} + 1`, lastError: error.slice(0, 1000) })
    .where(and(bySeq(seqs), isNull(deadLetters.publishedAt)));
}

/** How many letters wait for the relay, and when the oldest of them failed (null: none waits). */
export async function getUnpublishedDeadLetterStats(
  db: DbOrTx,
): Promise<{ count: number; oldestFailedAt: Date | null }> {
  const [row] = await db
    .select({ count: count(), oldestFailedAt: min(deadLetters.failedAt) })
    .from(deadLetters)
    .where(isNull(deadLetters.publishedAt));
  return { count: row?.count ?? 0, oldestFailedAt: row?.oldestFailedAt ?? null };
}

/** Retention: deletes letters published before `cutoff`; unpublished ones are never deleted. */
export async function deleteDeadLettersPublishedBefore(db: DbOrTx, cutoff: number): Promise<number> {
  const result = await db.delete(deadLetters).where(lt(deadLetters.publishedAt, new Date(cutoff)));
  return result.rowCount ?? 0;
}
