import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { toPgArrayLiteral } from "@/lib/db/queries/pg-array-literal";
import { encodeBinaryArray } from "@/lib/db/queries/pg-binary-array";

import { createTestDatabase, type TestDatabase } from "./helpers";

/**
 * The binary arrays a bulk upsert sends are read by PostgreSQL as the same values as their text
 * literals: each type round-trips through the server, compared as the server prints both.
 */
describe("binary array parameters", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  const d = (iso: string) => new Date(iso);
  it.each<[string, unknown[]]>([
    [
      "double precision",
      [1.5, -0, 0, 1e21, 5e-7, 123456789.125, 0.1 + 0.2, Number.NaN, Infinity, -Infinity, null, 187.23],
    ],
    ["integer", [0, 1, -1, 2_147_483_647, -2_147_483_648, null]],
    [
      "bigint",
      [
        0,
        -1,
        1,
        4_294_967_295,
        4_294_967_296,
        -4_294_967_297,
        9_007_199_254_740_991,
        -9_007_199_254_740_991,
        null,
      ],
    ],
    ["text", ['a"b', "c\\d", "e,f", "{g}", "", "NULL", "é ✓ 株", null]],
    ["boolean", [true, false, null]],
    [
      "timestamp with time zone",
      [
        d("2026-03-12T14:30:00.000Z"),
        d("2026-03-12T14:30:00.123Z"),
        d("1999-12-31T23:59:59.999Z"),
        d("2000-01-01T00:00:00.000Z"),
        d("1970-01-01T00:00:00.001Z"),
        null,
      ],
    ],
    ["date", ["2026-03-12", "2000-01-01", "1999-12-31", "1970-01-01", "2031-05-30", null]],
  ])("%s", async (type, values) => {
    const binary = encodeBinaryArray(values, type);
    expect(binary).toBeInstanceOf(Buffer);
    const literal = toPgArrayLiteral(values.map((v) => (v instanceof Date ? v.toISOString() : v)));
    const { rows } = await database.db.$client.query<{ binary: string; text: string }>(
      `select cast($1 as ${type}[])::text as binary, cast($2 as ${type}[])::text as text`,
      [binary, literal],
    );
    expect(rows[0]!.binary).toBe(rows[0]!.text);
    // And the server did read every element (not an empty or truncated array).
    const { rows: counted } = await database.db.$client.query<{ n: number }>(
      `select cardinality(cast($1 as ${type}[])) as n`,
      [binary],
    );
    expect(counted[0]!.n).toBe(values.length);
  });
});
