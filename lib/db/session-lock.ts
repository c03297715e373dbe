import { drizzle } from "drizzle-orm/node-postgres";

import type { Db, DbOrTx } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";

/**
 * Runs `work` while holding the session-level advisory lock `key` on one pooled connection, and gives
 * it that connection as its database handle; returns null without running it when another session
 * holds the lock.
 *
 * This is for work that waits on something outside PostgreSQL (a broker's acknowledgement, an HTTP
 * receiver) between its statements. Each statement commits on its own, so while `work` waits the
 * connection is idle: no open transaction, no transaction id, no snapshot. A transaction held across
 * such a wait would keep every database of the cluster from pruning the row versions that commits made
 * after it began (a backend's snapshot takes its bounds from all running transaction ids), and the
 * stream worker's rewrites of daily_stats would stop being heap-only for as long as a broker or a
 * receiver is slow.
 *
 * The lock goes with the session: a process that dies, or a connection that breaks, releases it (and
 * the statements of `work` on that connection then fail too). The connection goes back to the pool
 * unlocked, or is closed when the unlock cannot be confirmed.
 */
export async function withSessionLock<T>(
  db: Db,
  key: number,
  work: (connection: DbOrTx) => Promise<T>,
): Promise<T | null> {
  const client = await db.$client.connect();
  // Set when the connection's state is unknown (the lock's query or the unlock failed): it is then
  // closed, not pooled. A failure of `work` alone (a broker that refused) leaves it as it was.
  let broken: Error | undefined;
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
  try {
    const locked = await client
      .query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [key])
      .catch((error: unknown) => {
        throw (broken = asError(error));
      });
    if (locked.rows[0]?.locked !== true) return null;
    try {
      return await work(drizzle(client, { schema }));
    } finally {
      await client.query("select pg_advisory_unlock($1)", [key]).catch((error: unknown) => {
        broken = asError(error);
      });
    }
  } finally {
    client.release(broken);
  }
}
