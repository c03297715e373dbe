import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";

import { toPgArrayLiteral } from "@/lib/db/queries/pg-array-literal";

// pg's own serialisation of an array parameter, which the literal must equal (pg/lib/utils ships no types).
const { prepareValue } = createRequire(import.meta.url)("pg/lib/utils") as {
  prepareValue: (value: unknown) => unknown;
};

describe("toPgArrayLiteral", () => {
  it.each([
    ["numbers with fractions, exponents and negative zero", [1.5, -2, 0, -0, 1e21, 5e-7, 123456789.125]],
    ["integers and nulls", [1, null, 3, undefined]],
    ["booleans", [true, false, null]],
    ["text with quotes, backslashes, commas and braces", ['a"b', "c\\d", "e,f", "{g}", "", "NULL", "é ✓"]],
    ["an empty array", []],
  ])("writes %s exactly as pg does", (_, values) => {
    expect(toPgArrayLiteral(values)).toBe(prepareValue(values));
  });

  it("writes Dates as ISO text (what a bulk upsert sends for timestamps)", () => {
    const dates = [new Date(Date.UTC(2026, 2, 12, 14)), null];
    expect(toPgArrayLiteral(dates)).toBe(prepareValue(dates.map((d) => d?.toISOString() ?? null)));
  });

  it("leaves Buffers and objects to pg", () => {
    expect(toPgArrayLiteral([Buffer.from("x")])).toBeNull();
    expect(toPgArrayLiteral([{ a: 1 }])).toBeNull();
  });
});
