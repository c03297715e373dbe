import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { integer, PgDialect, pgSchema, text, type PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";

import { buildBulkUpsert, toColumnValues, type OnConflict } from "@/lib/db/queries/bulk-upsert";
import { encodeBinaryArray } from "@/lib/db/queries/pg-binary-array";
import { alertEvents, dailyStats, deadLetters, factPrices, kpiSnapshots, rawTicks } from "@/lib/db/schema";

const dialect = new PgDialect();

/** The same statement written with drizzle's identifiers and fragments, as the builder once did. */
function referenceText(table: PgTable, keys: string[], conflictKeys: string[], onConflict: OnConflict) {
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
  const insert = sql`insert into ${table} (${sql.join(names, sql`, `)}) select * from unnest(${sql.join(params, sql`, `)})`;
  return dialect.sqlToQuery(
    onConflict === "fail" ? insert : sql`${insert} on conflict (${conflict}) ${action}`,
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
  const cases: [string, PgTable, string[], OnConflict][] = [
    ["fact_prices", factPrices, ["symbol", "ts"], "update"],
    ["fact_prices", factPrices, ["symbol", "ts"], "fail"],
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

  it("sends each column's values as its own parameter, in key order", () => {
    // Every column a value of its own type and a different one per row, so that a parameter sent for the
    // wrong column, or a row's value in another row's place, shows.
    const at = (row: number) => ({
      windowMinutes: 5 + row,
      windowStart: Date.UTC(2026, 10, 30, 14, 30 + row),
      symbol: `S${row}`,
      windowEnd: Date.UTC(2026, 10, 30, 14, 35 + row),
      avgPrice: 10.5 + row,
      vwap: row === 0 ? null : 11.25,
      totalVolume: 1_000 + row,
      gainPct: -0.5 - row,
      firstOpen: 12.5 + row,
      lastClose: 13.5 + row,
      high: 14.5 + row,
      low: 9.5 + row,
      barCount: 3 + row,
    });
    const rows = [at(0), at(1), at(2)];
    const columns = getTableColumns(kpiSnapshots);
    const { params } = dialect.sqlToQuery(
      buildBulkUpsert(kpiSnapshots, rows, ["windowMinutes", "windowStart", "symbol"])!,
    );
    const keys = Object.keys(rows[0]!) as (keyof ReturnType<typeof at>)[];
    expect(params).toEqual(
      keys.map((key) =>
        encodeBinaryArray(
          rows.map((r) => r[key]),
          columns[key].getSQLType(),
        ),
      ),
    );
  });

  it("writes one text per shape: other columns, another conflict target or action is another text", () => {
    const key = ["windowMinutes", "windowStart", "symbol"] as const;
    const row = nullRow(kpiSnapshots);
    const text = (statement: ReturnType<typeof buildBulkUpsert>) => dialect.sqlToQuery(statement!).sql;
    const base = text(buildBulkUpsert(kpiSnapshots, [row], key));
    expect(text(buildBulkUpsert(kpiSnapshots, [row, row, row], key))).toBe(base);
    const { barCount: _b, ...fewer } = row;
    expect(text(buildBulkUpsert(kpiSnapshots, [fewer], key))).toBe(
      referenceText(kpiSnapshots, Object.keys(fewer), [...key], "update"),
    );
    expect(text(buildBulkUpsert(kpiSnapshots, [row], ["symbol", "windowStart", "windowMinutes"]))).toBe(
      referenceText(kpiSnapshots, Object.keys(row), ["symbol", "windowStart", "windowMinutes"], "update"),
    );
    expect(text(buildBulkUpsert(kpiSnapshots, [row], key, "nothing"))).toBe(
      referenceText(kpiSnapshots, Object.keys(row), [...key], "nothing"),
    );
    const plain = text(buildBulkUpsert(kpiSnapshots, [row], key, "fail"));
    expect(plain).toBe(referenceText(kpiSnapshots, Object.keys(row), [...key], "fail"));
    expect(plain).not.toMatch(/on conflict/);
  });

  it("names a table of another schema with its schema", () => {
    const audit = pgSchema("audit").table("events", { id: integer("id").primaryKey(), note: text("note") });
    const statement = buildBulkUpsert(audit, [{ id: 1, note: "a" }], ["id"]);
    expect(dialect.sqlToQuery(statement!).sql).toBe(referenceText(audit, ["id", "note"], ["id"], "update"));
    expect(dialect.sqlToQuery(statement!).sql).toMatch(/^insert into "audit"\."events" /);
  });

  it("refuses a key the table lacks, and writes nothing without rows", () => {
    expect(() => buildBulkUpsert(rawTicks, [{ nope: 1 } as never], ["topic"])).toThrow(
      /raw_ticks has no column nope/,
    );
    expect(buildBulkUpsert(rawTicks, [], ["topic"])).toBeNull();
    expect(() => buildBulkUpsert(rawTicks, [{}], ["topic"])).toThrow(/a row for raw_ticks has no columns/);
  });
});

describe("toColumnValues", () => {
  it("reads each key's column in key order, whatever each row's own order; missing and undefined as null", () => {
    const rows = [
      { a: 1, b: "x", c: true },
      { c: false, a: 0, b: "" },
      { b: "y", a: undefined },
    ];
    expect(toColumnValues(rows, ["a", "b", "c"])).toEqual([
      [1, 0, null],
      ["x", "", "y"],
      [true, false, null],
    ]);
    // Another set of keys over the same rows is another reader.
    expect(toColumnValues(rows, ["c", "a"])).toEqual([
      [true, false, null],
      [1, 0, null],
    ]);
    expect(toColumnValues([], ["a"])).toEqual([[]]);
  });

  it("reads a key that is no identifier as that very property", () => {
    const key = 'we"ird\\ key\n${x}';
    expect(toColumnValues([{ [key]: 7 }, { x: 1 }], [key])).toEqual([[7, null]]);
  });
});
