import { and, eq, lt, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { signInThrottle, type SignInThrottleRow } from "@/lib/db/schema";

export type ThrottleScope = "address" | "account";
export type ThrottleKey = { scope: ThrottleScope; key: string };

/**
 * Creates the rows of `keys` if missing and locks them until the transaction ends (the no-op
 * ON CONFLICT update takes the row lock), in the order given so that two instances never deadlock.
 */
export async function lockSignInCounters(
  tx: DbOrTx,
  keys: readonly ThrottleKey[],
  now: Date,
): Promise<SignInThrottleRow[]> {
  return tx
    .insert(signInThrottle)
    .values(keys.map((k) => ({ ...k, updatedAt: now })))
    .onConflictDoUpdate({
      target: [signInThrottle.scope, signInThrottle.key],
      set: { scope: sql`excluded.scope` },
    })
    .returning();
}

export async function updateSignInCounter(
  tx: DbOrTx,
  key: ThrottleKey,
  values: Partial<Pick<SignInThrottleRow, "failures" | "lastFailureAt" | "lastAttemptAt">>,
  now: Date,
): Promise<void> {
  await tx
    .update(signInThrottle)
    .set({ ...values, updatedAt: now })
    .where(and(eq(signInThrottle.scope, key.scope), eq(signInThrottle.key, key.key)));
}

/** Takes back one failure of a key (never below zero): the attempt it counted in advance succeeded. */
export async function refundSignInFailure(tx: DbOrTx, key: ThrottleKey, now: Date): Promise<void> {
  await tx
    .update(signInThrottle)
    .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)`, updatedAt: now })
    .where(and(eq(signInThrottle.scope, key.scope), eq(signInThrottle.key, key.key)));
}

/** Deletes counters untouched since `before`; returns how many. */
export async function deleteStaleSignInCounters(db: DbOrTx, before: Date): Promise<number> {
  const result = await db.delete(signInThrottle).where(lt(signInThrottle.updatedAt, before));
  return result.rowCount ?? 0;
}
