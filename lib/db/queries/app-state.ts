import { eq, sql } from "drizzle-orm";
import type { z } from "zod";

import type { DbOrTx } from "@/lib/db/client";
import { appState } from "@/lib/db/schema";
import { parseWith, type ParseResult } from "@/lib/events/parse-json";

/**
 * The value stored under `key`, checked against its schema (lib/events/app-state.ts): null when the key
 * is absent, a reason when the stored value does not match (the caller logs it and treats it as absent).
 */
export async function getAppState<T>(
  db: DbOrTx,
  key: string,
  schema: z.ZodType<T>,
): Promise<ParseResult<T> | null> {
  const [row] = await db.select({ value: appState.value }).from(appState).where(eq(appState.key, key));
  return row ? parseWith(schema, row.value) : null;
}

export async function setAppState(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(appState)
    .values({ key, value })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: sql`now()` } });
}

/** Stores `value` under `key` only if the key is new. */
export async function initAppState(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db.insert(appState).values({ key, value }).onConflictDoNothing();
}
