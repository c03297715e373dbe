import { describe, expect, it } from "vitest";

import { MAX_TICK_BYTES, parseTickMessage } from "@/lib/events/tick-v1";

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
    ["an unknown field", { ...good, note: "hi" }, "schema", /Unrecognized key.*note/],
    ["a price beyond any listed instrument", { ...good, high: 2e7 }, "schema", /price must be at most/],
    ["a minute volume beyond any market", { ...good, volume: 2e12 }, "schema", /volume must be at most/],
  ])("rejects %s with its class and a reason", (_name, value, reasonClass, reason) => {
    const result = parse(value);
    expect(result).toMatchObject({ ok: false, reasonClass });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("tick v1 size limit", () => {
  it("refuses a value over MAX_TICK_BYTES before parsing it, whatever it holds", () => {
    const padded = JSON.stringify({ ...good, pad: "x".repeat(MAX_TICK_BYTES) });
    expect(parse(padded)).toMatchObject({
      ok: false,
      reasonClass: "too_large",
      reason: /exceeds the 2048-byte limit/,
    });
    expect(parseTickMessage(Buffer.from(padded))).toMatchObject({ ok: false, reasonClass: "too_large" });
  });

  it("reads a real tick, far below the limit", () => {
    expect(JSON.stringify(good).length).toBeLessThan(MAX_TICK_BYTES / 4);
    expect(parse(good).ok).toBe(true);
  });
});
