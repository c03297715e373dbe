import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { formatIssues } from "@/lib/events/format-issues";
import {
  MAX_MINUTE_VOLUME,
  MAX_PRICE,
  MAX_TICK_BYTES,
  parseTickMessage,
  tickV1Schema,
} from "@/lib/events/tick-v1";

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

describe("tick v1 fast path", () => {
  const MIN_TS = 946_684_800_000;
  const MAX_TS = 4_102_444_800_000;
  const around = (values: number[]) => fc.constantFrom(...values.flatMap((x) => [x, x - 1, x + 1, x + 0.5]));
  // Mostly the good tick's own value, sometimes a value at or beside a rule's boundary.
  const field = (value: unknown, variants: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: fc.constant(value), weight: 6 }, { arbitrary: variants, weight: 1 });
  const anyTick = fc
    .record({
      v: field(1, fc.constantFrom<unknown>("1", 1.5, null)),
      symbol: field(
        "AAPL",
        fc.constantFrom<unknown>(" AAPL", "aapl", "^GSPC", "BRK-B", "", "A".repeat(21), "A".repeat(22), 7),
      ),
      ts: field(
        good.ts,
        fc.oneof(
          around([MIN_TS, MAX_TS]),
          fc.integer({ min: MIN_TS, max: MAX_TS }).map((m) => m - (m % 60_000)),
        ),
      ),
      open: field(good.open, around([0, MAX_PRICE, good.low, good.high])),
      high: field(good.high, fc.oneof(around([0, MAX_PRICE, good.high]), fc.constant(MAX_PRICE))),
      low: field(good.low, fc.oneof(around([0, 1, good.low]), fc.constant(1e-9))),
      close: field(good.close, fc.oneof(around([good.low, good.high]), fc.constant<unknown>("258"))),
      volume: field(good.volume, fc.oneof(around([0, MAX_MINUTE_VOLUME]), fc.constant(2 ** 53 + 2))),
      source: field(good.source, fc.constantFrom<unknown>("yahoo", "synthetic", "external", "YAHOO")),
      producedAt: field(good.producedAt, fc.oneof(around([0, Date.now()]), fc.constant<unknown>(null))),
      extra: field(undefined, fc.constant(1)),
      drop: field(undefined, fc.constantFrom("ts", "source", "producedAt")),
    })
    .map(({ drop, ...tick }) => {
      const out: Record<string, unknown> = { ...tick };
      if (out.extra === undefined) delete out.extra;
      if (typeof drop === "string") delete out[drop];
      return out;
    });

  it("accepts exactly what the schema accepts, with the same tick, and leaves every reason to the schema", () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyTick, (value) => {
        const result = parseTickMessage(JSON.stringify(value));
        // Round-tripped through JSON as the worker receives it (1.0 is 1, -0 is 0 in the text).
        const expected = tickV1Schema.safeParse(JSON.parse(JSON.stringify(value)));
        if (expected.success) {
          accepted++;
          expect(result).toEqual({ ok: true, tick: expected.data });
          if (result.ok) expect(Object.keys(result.tick)).toEqual(Object.keys(expected.data));
        } else if ((value as { v: unknown }).v === 1) {
          expect(result).toEqual({
            ok: false,
            reasonClass: "schema",
            reason: formatIssues(expected.error.issues),
          });
        }
      }),
      { numRuns: 5_000 },
    );
    // Both sides of the rules are exercised, not only rejections.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(4_900);
  });
});
