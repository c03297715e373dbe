import { describe, expect, it } from "vitest";

import { yahooChartSchema, yahooEpochMsSchema, yahooQuoteSchema } from "@/lib/ingest/yahoo/payloads";

const T = Date.parse("2026-03-12T13:30:00Z");

describe("Yahoo payload schemas", () => {
  it("read an instant from yahoo-finance2's Date and from a raw answer's epoch seconds alike", () => {
    expect(yahooEpochMsSchema.parse(new Date(T))).toBe(T);
    expect(yahooEpochMsSchema.parse(T / 1_000)).toBe(T);
    expect(yahooEpochMsSchema.parse(new Date(NaN))).toBeNull();
    expect(yahooEpochMsSchema.parse("2026-03-12")).toBeNull();
    expect(yahooEpochMsSchema.parse(undefined)).toBeNull();
  });

  it("need a quote's symbol and read every other field that is missing, empty or mistyped as null", () => {
    expect(yahooQuoteSchema.safeParse({ longName: "Apple" }).success).toBe(false);
    expect(
      yahooQuoteSchema.parse({ symbol: "AAPL", longName: "  ", shortName: " Apple Inc. ", marketState: 3 }),
    ).toMatchObject({ symbol: "AAPL", longName: null, shortName: "Apple Inc.", marketState: null });
  });

  it("need a chart's quotes array and fall back to an empty meta when Yahoo sends none", () => {
    expect(yahooChartSchema.safeParse({ meta: {} }).success).toBe(false);
    expect(yahooChartSchema.parse({ quotes: [null, 1] })).toEqual({
      quotes: [null, 1],
      meta: { exchangeTimezoneName: null, currentTradingPeriod: null, tradingPeriods: [] },
    });
  });

  it("read trading periods as a list of days or as { regular } (with pre and post sessions)", () => {
    const period = { start: T / 1_000, end: T / 1_000 + 23_400 };
    const read = { start: T, end: T + 23_400_000 };
    expect(
      yahooChartSchema.parse({ quotes: [], meta: { tradingPeriods: [[period]] } }).meta.tradingPeriods,
    ).toEqual([[read]]);
    expect(
      yahooChartSchema.parse({ quotes: [], meta: { tradingPeriods: { regular: [[period]], pre: [] } } }).meta
        .tradingPeriods,
    ).toEqual([[read]]);
  });
});
