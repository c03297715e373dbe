import { createHash } from "node:crypto";

import { sql, type SQL } from "drizzle-orm";
import { PgDialect, PgTransaction } from "drizzle-orm/pg-core";

import { getTransactionClient, type DbOrTx } from "@/lib/db/client";
import { hasSqlState, SQL_STATE } from "@/lib/db/sql-state";

const dialect = new PgDialect();

/** Statement texts sent as named prepared statements, by text; past the cap a new text goes unnamed. */
const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 64;
/** Off for good once a connection's prepared statement was not where pg believed it to be (below). */
let naming = true;

/** A name per text, the same in every process (a hash of the text): one name never means two texts. */
function nameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_STATEMENT_NAMES) {
    name = `tickstream_write_${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * PostgreSQL's answer when a named statement is missing (26000) or already there (42P05) although pg
 * believed otherwise: the connection goes through a pooler in transaction mode, which hands each
 * transaction another server connection, or a Bind failed in pg after its Parse (pg then closes the
 * statement on the server but still records it as parsed).
 */
function isPreparedStatementMismatch(error: unknown): boolean {
  return hasSqlState(error, SQL_STATE.invalidStatementName, SQL_STATE.duplicatePreparedStatement);
}

/**
 * Runs writes as one statement, `with w1 as (…), w2 as (…) <the last>`: one round trip to PostgreSQL
 * instead of one each. Each write runs exactly once and to completion, in the caller's transaction.
 * They all see the snapshot from before the statement and none sees another's changes, so no two may
 * touch one row (that would fail or be undefined): a table of their own, or disjoint rows of one (the
 * stream worker's new bars and its changed ones). Nulls (nothing to write)
 * are left out. The stream worker writes each batch with it (workers/handlers/tick-batch.ts).
 *
 * In a transaction the statement goes as a named prepared statement of its connection: a batch's text
 * depends only on which tables it writes (one parameter per column), so PostgreSQL parses it once per
 * connection and, after a few runs, reuses a generic plan instead of planning every batch anew. Should
 * a connection's statement not be where pg believes it is, that statement fails (the caller's retry
 * runs it again) and the process sends every later one unnamed: `onNamingOff` hears of that once, with
 * the error, so that the caller can say so (it costs PostgreSQL a parse and a plan per statement).
 */
export async function executeAsOneStatement(
  db: DbOrTx,
  writes: readonly (SQL | null)[],
  onNamingOff?: (error: unknown) => void,
): Promise<void> {
  const present = writes.filter((w): w is SQL => w !== null);
  const last = present.pop();
  if (!last) return;
  const ctes = present.map((w, i) => sql`${sql.identifier(`w${i + 1}`)} as (${w})`);
  const statement = ctes.length === 0 ? last : sql`with ${sql.join(ctes, sql`, `)} ${last}`;
  if (!(db instanceof PgTransaction)) {
    await db.execute(statement);
    return;
  }
  const { sql: text, params } = dialect.sqlToQuery(statement);
  const name = naming ? nameOf(text) : undefined;
  try {
    await getTransactionClient(db).query({ name, text, values: params });
  } catch (error) {
    // Once per process, however many statements in flight fail alike.
    if (name !== undefined && naming && isPreparedStatementMismatch(error)) {
      naming = false;
      onNamingOff?.(error);
    }
    throw error;
  }
}
