import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * The `set` of an upsert that takes every column except the conflict target from the proposed row
 * (`excluded.<column>`), plus `updated_at = now()` when the table has one.
 */
export function setFromExcluded<T extends PgTable>(table: T, keep: readonly string[]): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (keep.includes(key)) continue;
    set[key] = key === "updatedAt" ? sql`now()` : sql.raw(`excluded."${column.name}"`);
  }
  return set;
}

/** Splits rows into chunks that stay under PostgreSQL's 65,535 bind parameters per statement. */
export function chunkRows<T>(rows: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(60_000 / columnsPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
