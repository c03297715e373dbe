import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

import type { DbOrTx } from "@/lib/db/client";
import { toPgArrayLiteral } from "@/lib/db/queries/pg-array-literal";
import { encodeBinaryArray } from "@/lib/db/queries/pg-binary-array";

type ColumnsOf<T extends PgTable> = T["_"]["columns"];
type RowOf<T extends PgTable> = Partial<{ [K in keyof ColumnsOf<T>]: unknown }>;

function toArrayValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * The parameter of one column: the array in binary format where the type has a codec (most columns),
 * else its array literal written here, else the array for pg to write.
 */
function toArrayParam(values: unknown[], sqlType: string): unknown {
  return encodeBinaryArray(values, sqlType) ?? toPgArrayLiteral(values) ?? values.map(toArrayValue);
}

/**
 * Multi-row upsert in one statement with one parameter per column: `insert … select * from unnest($1,
 * $2, …) on conflict (…) do update set col = excluded.col`. Building a VALUES list of thousands of
 * rows costs more CPU in the query builder than the database spends on the insert; arrays avoid it.
 * Every row must have the same keys (table column keys). `updated_at` becomes now() on update.
 * `onConflict: "nothing"` only inserts new rows.
 */
export async function bulkUpsert<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: readonly RowOf<T>[],
  conflictKeys: readonly (keyof ColumnsOf<T> & string)[],
  onConflict: "update" | "nothing" = "update",
): Promise<void> {
  const statement = buildBulkUpsert(table, rows, conflictKeys, onConflict);
  if (statement) await db.execute(statement);
}

/** The statement `bulkUpsert` runs, to run with others (`executeAsOneStatement`, lib/db/queries/one-statement.ts); null without rows. */
export function buildBulkUpsert<T extends PgTable>(
  table: T,
  rows: readonly RowOf<T>[],
  conflictKeys: readonly (keyof ColumnsOf<T> & string)[],
  onConflict: "update" | "nothing" = "update",
): SQL | null {
  const first = rows[0];
  if (!first) return null;
  const columns = getTableColumns(table);
  const keys = Object.keys(first);
  const params: SQL[] = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    const values = rows.map((row) => (row as Record<string, unknown>)[key] ?? null);
    const type = column.getSQLType();
    return sql`cast(${sql.param(toArrayParam(values, type))} as ${sql.raw(type)}[])`;
  });
  const names = keys.map((key) => sql.identifier(columns[key]!.name));
  const conflict = sql.join(
    conflictKeys.map((key) => sql.identifier(columns[key]!.name)),
    sql`, `,
  );
  let action: SQL = sql`do nothing`;
  if (onConflict === "update") {
    const updates = keys
      .filter((k) => !conflictKeys.includes(k as never))
      .map((k) => sql`${sql.identifier(columns[k]!.name)} = excluded.${sql.identifier(columns[k]!.name)}`);
    const updatedAt = columns.updatedAt;
    if (updatedAt && !keys.includes("updatedAt"))
      updates.push(sql`${sql.identifier(updatedAt.name)} = now()`);
    action = sql`do update set ${sql.join(updates, sql`, `)}`;
  }
  return sql`insert into ${table} (${sql.join(names, sql`, `)}) select * from unnest(${sql.join(params, sql`, `)}) on conflict (${conflict}) ${action}`;
}
