import { sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { describeError, type Logger } from "@/lib/log";

/** The read-only role of BI tools (Superset, Grafana), created by drizzle/0001_views_notify_bi.sql. */
export const BI_ROLE = "tickstream_bi";

export type BiWatchdogOptions = {
  db: Db;
  logger: Logger;
  /** A BI statement running longer than this is cancelled (BI_STATEMENT_LIMIT_SECONDS). */
  limitSeconds: number;
  /** How often running statements are checked; a statement is cancelled at most this late. */
  intervalMs?: number;
  role?: string;
};

export type CancelledStatement = { pid: number; runningSeconds: number; query: string };

/**
 * Cancels the BI role's statements in this database that have run past the limit. The role's own statement_timeout
 * is only a default: any role may `SET statement_timeout = 0` for its session, so the product enforces
 * the limit from outside. Cancelling another role's backend needs the privileges of that role (or of
 * pg_signal_backend); without them PostgreSQL refuses, which is logged as a warning.
 */
export async function cancelOverrunningBiStatements(
  db: Db,
  limitSeconds: number,
  role = BI_ROLE,
): Promise<CancelledStatement[]> {
  const result = await db.execute<{
    pid: number;
    running_seconds: number;
    query: string;
    cancelled: boolean;
  }>(sql`
    select pid,
           extract(epoch from now() - query_start)::float8 as running_seconds,
           left(query, 200) as query,
           pg_cancel_backend(pid) as cancelled
      from pg_stat_activity
     where usename = ${role}
       and datname = current_database()
       and state = 'active'
       and pid <> pg_backend_pid()
       and query_start < now() - make_interval(secs => ${limitSeconds})`);
  return result.rows
    .filter((r) => r.cancelled)
    .map((r) => ({ pid: r.pid, runningSeconds: Math.round(r.running_seconds), query: r.query }));
}

/** Runs {@link cancelOverrunningBiStatements} every `intervalMs` until the returned stop is called. */
export function startBiWatchdog(options: BiWatchdogOptions): () => Promise<void> {
  const { db, logger, limitSeconds } = options;
  let running: Promise<void> = Promise.resolve();
  const check = async () => {
    try {
      for (const c of await cancelOverrunningBiStatements(db, limitSeconds, options.role))
        logger.warn(
          { pid: c.pid, runningSeconds: c.runningSeconds, query: c.query, limitSeconds },
          "cancelled a BI statement that ran past the limit",
        );
    } catch (error) {
      logger.warn({ err: describeError(error) }, "BI statement watchdog could not check; retrying");
    }
  };
  const timer = setInterval(() => {
    running = check();
  }, options.intervalMs ?? 5_000);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
