import { describe, expect, it } from "vitest";

import { parseTickMessage } from "@/lib/events/tick-v1";

const good = {
  v: 1,
  symbol: "AAPL",
  ts: Date.parse("2026-03-12T13:30:00Z"),
  open: 258.64,
  high: 258.95,
  low: 257.45,
  close: 257.98,
  volume: 1169548,
  source: "replay",
  producedAt: 1,
};
const parse = (value: unknown) => parseTickMessage(typeof value === "string" ? value : JSON.stringify(value));

describe("tick v1 contract", () => {
  it("accepts a real bar, including a zero-volume one", () => {
    expect(parse(good)).toEqual({ ok: true, tick: good });
    expect(parse({ ...good, volume: 0 }).ok).toBe(true);
  });

  it.each([
    ["not JSON", "{", "not_json", /not JSON/],
    ["empty", "", "empty", /empty/],
    ["another version", { ...good, v: 2 }, "unknown_version", /unknown schema version v=2/],
    ["high below low", { ...good, high: 1, low: 2 }, "schema", /high 1 is below low 2/],
    ["close outside the range", { ...good, close: 300 }, "schema", /close 300 is outside/],
    ["NaN as a string", { ...good, open: "NaN" }, "schema", /open/],
    ["negative volume", { ...good, volume: -5 }, "schema", /volume/],
    ["fractional volume", { ...good, volume: 1.5 }, "schema", /volume/],
    ["seconds instead of ms", { ...good, ts: 1_773_322_200 }, "schema", /ts must be epoch milliseconds/],
    ["not minute-aligned", { ...good, ts: good.ts + 30_000 }, "schema", /whole minute/],
    ["unknown source", { ...good, source: "bloomberg" }, "schema", /source/],
    ["bad symbol", { ...good, symbol: "AAPL; DROP TABLE" }, "schema", /symbol/],
    ["missing field", { ...good, close: undefined }, "schema", /close/],
    ["a number, not an object", 42, "schema", /expected object/],
  ])("rejects %s with its class and a reason", (_name, value, reasonClass, reason) => {
    const result = parse(value);
    expect(result).toMatchObject({ ok: false, reasonClass });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
