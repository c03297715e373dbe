import { describe, expect, it } from "vitest";

import { tickV1Schema } from "@/lib/events/tick-v1";
import { extractYahooBars } from "@/lib/ingest/yahoo/chart";

const T = Date.UTC(2024, 9, 2, 14, 0);
const MIN = 60_000;
const PERIOD2 = T + 60 * MIN;

const point = (ts: number, o: unknown, h: unknown, l: unknown, c: unknown, v: unknown) => ({
  date: new Date(ts),
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
});

describe("extractYahooBars", () => {
  it("widens high/low by float noise so open and close lie inside [low, high]", () => {
    const { bars } = extractYahooBars(
      { meta: {}, quotes: [point(T, 100.00001, 100, 99, 98.99999, 10)] },
      PERIOD2,
    );
    expect(bars).toEqual([
      { ts: T, open: 100.00001, high: 100.00001, low: 98.99999, close: 98.99999, volume: 10 },
    ]);
    expect(
      tickV1Schema.safeParse({ v: 1, symbol: "AAPL", source: "yahoo", producedAt: T, ...bars[0] }).success,
    ).toBe(true);
  });

  it("drops null candles (a gap), non-numbers and non-positive prices instead of inventing zero bars", () => {
    const quotes = [
      point(T, null, null, null, null, null),
      point(T + MIN, "x", 1, 1, 1, 5),
      point(T + 2 * MIN, 0, 1, 0, 1, 5),
      point(T + 3 * MIN, 1, 2, 1, 2, 5),
    ];
    const { bars, dropped } = extractYahooBars({ meta: {}, quotes }, PERIOD2);
    expect(bars.map((b) => b.ts)).toEqual([T + 3 * MIN]);
    expect(dropped.gaps).toBe(3);
  });

  it("drops points off the minute grid and at or after period2", () => {
    const quotes = [
      point(T + 1_000, 1, 1, 1, 1, 1),
      point(PERIOD2, 1, 1, 1, 1, 1),
      point(PERIOD2 - MIN, 1, 1, 1, 1, 1),
    ];
    const { bars, dropped } = extractYahooBars({ meta: {}, quotes }, PERIOD2);
    expect(bars.map((b) => b.ts)).toEqual([PERIOD2 - MIN]);
    expect(dropped).toMatchObject({ offGrid: 1, afterPeriod2: 1 });
  });

  it("drops the live point Yahoo puts at a regular session's end (raw seconds or coerced dates)", () => {
    const end = T + 30 * MIN;
    const quotes = [point(end - MIN, 1, 1, 1, 1, 1), point(end, 1, 1, 1, 1, 0)];
    const raw = extractYahooBars(
      { meta: { tradingPeriods: [[{ start: (end - 390 * MIN) / 1_000, end: end / 1_000 }]] }, quotes },
      PERIOD2,
    );
    expect(raw.bars.map((b) => b.ts)).toEqual([end - MIN]);
    expect(raw.dropped.sessionEnd).toBe(1);
    const coerced = extractYahooBars(
      {
        meta: { currentTradingPeriod: { regular: { start: new Date(end - 390 * MIN), end: new Date(end) } } },
        quotes,
      },
      PERIOD2,
    );
    expect(coerced.bars.map((b) => b.ts)).toEqual([end - MIN]);
    expect(coerced.regularStart).toBe(end - 390 * MIN);
  });

  it("takes a missing volume as 0 and rounds a fractional one", () => {
    const { bars } = extractYahooBars(
      { meta: {}, quotes: [point(T, 1, 1, 1, 1, null), point(T + MIN, 1, 1, 1, 1, 2.6)] },
      PERIOD2,
    );
    expect(bars.map((b) => b.volume)).toEqual([0, 3]);
  });

  it("rejects an answer without a quotes array", () => {
    expect(() => extractYahooBars({ meta: {} }, PERIOD2)).toThrow(/no quotes array/);
  });
});
