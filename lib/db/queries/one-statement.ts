import { sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";

/**
 * Runs writes as one statement, `with w1 as (…), w2 as (…) <the last>`: one round trip to PostgreSQL
 * instead of one each. Each write runs exactly once and to completion, in the caller's transaction.
 * They all see the snapshot from before the statement and none sees another's changes, so each must
 * write a table of its own (two touching one row would fail or be undefined). Nulls (nothing to write)
 * are left out. The stream worker writes each batch with it (workers/handlers/tick-batch.ts).
 */
export async function executeAsOneStatement(db: DbOrTx, writes: readonly (SQL | null)[]): Promise<void> {
  const present = writes.filter((w): w is SQL => w !== null);
  const last = present.pop();
  if (!last) return;
  if (present.length === 0) {
    await db.execute(last);
    return;
  }
  const ctes = present.map((w, i) => sql`${sql.identifier(`w${i + 1}`)} as (${w})`);
  await db.execute(sql`with ${sql.join(ctes, sql`, `)} ${last}`);
}
