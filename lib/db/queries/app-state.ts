import { eq, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { appState } from "@/lib/db/schema";

export async function getAppState<T>(db: DbOrTx, key: string): Promise<T | null> {
  const [row] = await db.select({ value: appState.value }).from(appState).where(eq(appState.key, key));
  return row ? (row.value as T) : null;
}

export async function setAppState(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(appState)
    .values({ key, value })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: sql`now()` } });
}

/** Stores `value` under `key` only if the key is new; returns the stored value either way. */
export async function initAppState<T>(db: DbOrTx, key: string, value: T): Promise<T> {
  await db.insert(appState).values({ key, value }).onConflictDoNothing();
  return (await getAppState<T>(db, key)) ?? value;
}
