import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";

import * as schema from "@/lib/db/schema";

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A database handle or an open transaction: query modules accept either. */
export type DbOrTx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute" | "transaction">;

export type CreateDbOptions = {
  max?: number;
  applicationName?: string;
  /** Called on errors of idle pooled connections (e.g. the server restarted), which would otherwise crash. */
  onPoolError?: (error: Error) => void;
};

/**
 * Creates a drizzle handle over a pg pool. Connections time out quickly so that a database that went
 * away surfaces as an error within seconds, and the pool reconnects by itself when it comes back.
 */
export function createDb(url: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "tickstream",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  pool.on("error", (error) => options.onPoolError?.(error));
  // pg-pool takes its error listener off a client while it is checked out, so a connection that dies
  // mid-transaction (a server restart) would emit an unhandled 'error' and crash the process. The query
  // in flight rejects with the same error, which its caller handles (a stream batch is retried).
  pool.on("connect", (client) => client.on("error", () => undefined));
  return drizzle(pool, { schema });
}

export type DedicatedClientOptions = {
  applicationName: string;
  /** How long the client waits for any answer before it drops the connection (none by default). */
  queryTimeoutMs?: number;
};

/**
 * A connection of its own outside any pool, for what must stay on one session (LISTEN, session advisory
 * locks). Like the pool's, it times out quickly when the server is away; TCP keepalive notices a peer that
 * vanished silently. The caller handles its 'error' event and reconnects.
 */
export function createDedicatedClient(url: string, options: DedicatedClientOptions): pg.Client {
  return new pg.Client({
    connectionString: url,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
  });
}

/** The connection string a database handle's pool was created with. */
export function databaseUrlOf(db: Db): string {
  const url = db.$client.options.connectionString;
  if (!url) throw new Error("the database handle's pool has no connection string");
  return url;
}

export async function closeDb(db: Db): Promise<void> {
  await db.$client.end();
}

/**
 * The one connection an open transaction runs on, for what drizzle cannot send (a COPY,
 * lib/db/queries/bulk-copy.ts). Anything else throws: a statement sent to a database handle's pool, or
 * to a handle over a single client, would not run in the caller's transaction.
 */
export function getTransactionClient(tx: DbOrTx): pg.ClientBase {
  // drizzle's node-postgres transaction runs on a session (protected in its types) holding the pooled
  // client it checked out.
  const session: { client?: unknown } | undefined =
    tx instanceof PgTransaction ? (tx as unknown as { session?: { client?: unknown } }).session : undefined;
  const client = session?.client;
  if (!(client instanceof pg.Client))
    throw new Error("getTransactionClient needs an open transaction, not a database handle");
  return client;
}
