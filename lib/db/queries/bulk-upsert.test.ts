import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";

import { buildBulkUpsert } from "@/lib/db/queries/bulk-upsert";
import { alertEvents, dailyStats, deadLetters, factPrices, kpiSnapshots, rawTicks } from "@/lib/db/schema";

const dialect = new PgDialect();

/** The same statement written with drizzle's identifiers and fragments, as the builder once did. */
function referenceText(
  table: PgTable,
  keys: string[],
  conflictKeys: string[],
  onConflict: "update" | "nothing",
) {
  const columns = getTableColumns(table);
  const params = keys.map((k) => sql`cast(${sql.param(null)} as ${sql.raw(columns[k]!.getSQLType())}[])`);
  const names = keys.map((k) => sql.identifier(columns[k]!.name));
  const conflict = sql.join(
    conflictKeys.map((k) => sql.identifier(columns[k]!.name)),
    sql`, `,
  );
  let action: SQL = sql`do nothing`;
  if (onConflict === "update") {
    const updates = keys
      .filter((k) => !conflictKeys.includes(k))
      .map((k) => sql`${sql.identifier(columns[k]!.name)} = excluded.${sql.identifier(columns[k]!.name)}`);
    if (columns.updatedAt && !keys.includes("updatedAt"))
      updates.push(sql`${sql.identifier(columns.updatedAt.name)} = now()`);
    action = sql`do update set ${sql.join(updates, sql`, `)}`;
  }
  return dialect.sqlToQuery(
    sql`insert into ${table} (${sql.join(names, sql`, `)}) select * from unnest(${sql.join(params, sql`, `)}) on conflict (${conflict}) ${action}`,
  ).sql;
}

/** A row of every column but updated_at, all null (the text does not depend on the values). */
const nullRow = (table: PgTable) =>
  Object.fromEntries(
    Object.keys(getTableColumns(table))
      .filter((k) => k !== "updatedAt")
      .map((k) => [k, null]),
  );

describe("buildBulkUpsert", () => {
  const cases: [string, PgTable, string[], "update" | "nothing"][] = [
    ["fact_prices", factPrices, ["symbol", "ts"], "update"],
    ["daily_stats", dailyStats, ["symbol", "tradeDate"], "update"],
    ["kpi_snapshots", kpiSnapshots, ["windowMinutes", "windowStart", "symbol"], "update"],
    ["raw_ticks", rawTicks, ["topic", "partition", "kafkaOffset"], "nothing"],
    ["dead_letters", deadLetters, ["sourceTopic", "sourcePartition", "sourceOffset"], "nothing"],
    ["alert_events", alertEvents, ["ruleId", "symbol", "barTs"], "update"],
  ];
  it.each(cases)(
    "writes %s's statement as drizzle's fragments render it",
    (_name, table, conflictKeys, onConflict) => {
      const row = nullRow(table);
      const statement = buildBulkUpsert(table, [row, row], conflictKeys as never, onConflict);
      const { sql: text, params } = dialect.sqlToQuery(statement!);
      expect(text).toBe(referenceText(table, Object.keys(row), conflictKeys, onConflict));
      expect(params).toHaveLength(Object.keys(row).length);
    },
  );

  it("gives each call its own parameters, in key order, and one text per shape", () => {
    const key = ["windowMinutes", "windowStart", "symbol"] as const;
    const a = { ...nullRow(kpiSnapshots), windowMinutes: 5, symbol: "AAPL", barCount: 3 };
    const b = { ...nullRow(kpiSnapshots), windowMinutes: 15, symbol: "MSFT", barCount: 7 };
    const one = dialect.sqlToQuery(buildBulkUpsert(kpiSnapshots, [a], key)!);
    const two = dialect.sqlToQuery(buildBulkUpsert(kpiSnapshots, [a, b], key)!);
    expect(two.sql).toBe(one.sql);
    const symbolIndex = Object.keys(a).indexOf("symbol");
    expect(two.params[symbolIndex]).not.toEqual(one.params[symbolIndex]);
    // Fewer columns, or another action, is another text.
    const { barCount: _b, ...fewer } = a;
    expect(dialect.sqlToQuery(buildBulkUpsert(kpiSnapshots, [fewer], key)!).sql).not.toBe(one.sql);
    expect(dialect.sqlToQuery(buildBulkUpsert(kpiSnapshots, [a], key, "nothing")!).sql).toMatch(
      /on conflict \("window_minutes", "window_start", "symbol"\) do nothing$/,
    );
  });

  it("refuses a key the table lacks, and writes nothing without rows", () => {
    expect(() => buildBulkUpsert(rawTicks, [{ nope: 1 } as never], ["topic"])).toThrow(
      /raw_ticks has no column nope/,
    );
    expect(buildBulkUpsert(rawTicks, [], ["topic"])).toBeNull();
  });
});
