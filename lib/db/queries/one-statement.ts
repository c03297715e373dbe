import { sql, type SQL } from "drizzle-orm";
import { PgDialect, PgTransaction } from "drizzle-orm/pg-core";

import { getTransactionClient, type DbOrTx } from "@/lib/db/client";

const dialect = new PgDialect();

/** Statement texts sent as named prepared statements, by text; past the cap a new text goes unnamed. */
const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 64;

function nameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_STATEMENT_NAMES) {
    name = `tickstream_write_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs writes as one statement, `with w1 as (…), w2 as (…) <the last>`: one round trip to PostgreSQL
 * instead of one each. Each write runs exactly once and to completion, in the caller's transaction.
 * They all see the snapshot from before the statement and none sees another's changes, so each must
 * write a table of its own (two touching one row would fail or be undefined). Nulls (nothing to write)
 * are left out. The stream worker writes each batch with it (workers/handlers/tick-batch.ts).
 *
 * In a transaction the statement goes as a named prepared statement of its connection: a batch's text
 * depends only on which tables it writes (one parameter per column), so PostgreSQL parses it once per
 * connection and, after a few runs, reuses a generic plan instead of planning every batch anew.
 */
export async function executeAsOneStatement(db: DbOrTx, writes: readonly (SQL | null)[]): Promise<void> {
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
  await getTransactionClient(db).query({ name: nameOf(text), text, values: params });
}
