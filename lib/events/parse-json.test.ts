import { z } from "zod";
import { describe, expect, it } from "vitest";

import { formatIssues } from "@/lib/events/format-issues";
import { parseJson, parseJsonWith, parseWith } from "@/lib/events/parse-json";

const pointSchema = z.strictObject({ x: z.number(), y: z.number() });

describe("parseJsonWith", () => {
  it("gives the parsed data of JSON that fits the schema", () => {
    expect(parseJsonWith(pointSchema, '{"x":1,"y":2}')).toEqual({ ok: true, data: { x: 1, y: 2 } });
  });

  it.each([
    ["text that is not JSON", "{x:1", /^not JSON: /],
    ["empty text", "", /^not JSON: /],
    ["JSON of another shape", "[1,2]", /expected object/],
    ["a field of the wrong type", '{"x":"1","y":2}', /^x: /],
    ["an unknown field", '{"x":1,"y":2,"z":3}', /"z"/],
  ])("gives a reason, without throwing, for %s", (_case, text, reason) => {
    const result = parseJsonWith(pointSchema, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("parseJson and parseWith", () => {
  it("read any JSON value, and check a value already read", () => {
    expect(parseJson("null")).toEqual({ ok: true, data: null });
    expect(parseWith(pointSchema, { x: 0, y: -1 })).toEqual({ ok: true, data: { x: 0, y: -1 } });
    const missing = parseWith(pointSchema, { x: 0 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toMatch(/^y: /);
  });
});

describe("formatIssues", () => {
  it("names each issue's path and keeps the first five", () => {
    const result = z.array(z.number()).safeParse(["a", "b", "c", "d", "e", "f"]);
    expect(result.success).toBe(false);
    if (result.success) return;
    const line = formatIssues(result.error.issues);
    expect(line.split("; ")).toHaveLength(5);
    expect(line).toMatch(/^0: /);
    expect(line).not.toMatch(/\b5: /);
  });

  it("gives a top-level issue without a path", () => {
    const result = z.number().safeParse("x");
    if (result.success) throw new Error("a string is not a number");
    expect(formatIssues(result.error.issues)).not.toMatch(/^: /);
  });
});
