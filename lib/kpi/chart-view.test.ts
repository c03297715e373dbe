import { describe, expect, it } from "vitest";

import {
  DEFAULT_CHART_VIEW,
  normalizeCompare,
  parseChartView,
  parseStoredChartRange,
  parseStoredChartView,
  readUrlChartRange,
  writeChartView,
} from "@/lib/kpi/chart-view";

describe("parseChartView", () => {
  it("reads the fields present and leaves the absent ones to a default", () => {
    expect(parseChartView(new URLSearchParams("mode=ohlc&overlays=vwap,ma5"))).toEqual({
      mode: "ohlc",
      overlays: ["ma5", "vwap"],
    });
    expect(parseChartView(new URLSearchParams(""))).toEqual({});
  });

  it("takes an empty overlay list as a choice, and drops unknown modes and overlays", () => {
    expect(parseChartView(new URLSearchParams("overlays=&mode=renko"))).toEqual({ overlays: [] });
    expect(parseChartView(new URLSearchParams("overlays=rsi,ema20"))).toEqual({ overlays: ["ema20"] });
  });
});

describe("normalizeCompare", () => {
  it("keeps at most five valid symbols, once each, without the chart's own", () => {
    expect(
      normalizeCompare(["msft", "AAPL", "MSFT", "bad symbol!", "spy", "qqq", "iwm", "dia", "tsla"], "AAPL"),
    ).toEqual(["MSFT", "SPY", "QQQ", "IWM", "DIA"]);
  });
});

describe("writeChartView and parseStoredChartView", () => {
  it("round-trips a view through the URL", () => {
    const view = {
      mode: "line" as const,
      overlays: ["ma20" as const, "vwap" as const],
      compare: ["MSFT", "SPY"],
    };
    const params = writeChartView(new URLSearchParams("range=5d"), view);
    expect(params.get("range")).toBe("5d");
    expect(parseChartView(params)).toEqual(view);
    expect(writeChartView(params, DEFAULT_CHART_VIEW).has("compare")).toBe(false);
  });

  it("restores a stored view and ignores text that is not one", () => {
    expect(
      parseStoredChartView(JSON.stringify({ mode: "ohlc", overlays: ["ema20"], compare: ["spy"] })),
    ).toEqual({
      mode: "ohlc",
      overlays: ["ema20"],
      compare: ["SPY"],
    });
    expect(parseStoredChartView("{not json")).toEqual({});
    expect(parseStoredChartView(null)).toEqual({});
  });
});

describe("the remembered chart range", () => {
  const fromMap = (entries: Record<string, string>) => (name: string) => entries[name] ?? null;

  it("reads a preset or custom dates from the URL, custom dates first", () => {
    expect(readUrlChartRange(fromMap({ range: "5d" }))).toEqual({ range: "5d" });
    expect(readUrlChartRange(fromMap({ range: "5d", from: "2026-03-16", to: "2026-03-18" }))).toEqual({
      custom: { from: "2026-03-16", to: "2026-03-18" },
    });
    expect(readUrlChartRange(fromMap({}))).toBeNull();
    expect(readUrlChartRange(fromMap({ range: "1y" }))).toBeNull();
    expect(readUrlChartRange(fromMap({ from: "2026-03-16" }))).toBeNull();
  });

  it("parses what the page stored and nothing else", () => {
    expect(parseStoredChartRange(JSON.stringify({ range: "1h" }))).toEqual({ range: "1h" });
    expect(
      parseStoredChartRange(JSON.stringify({ custom: { from: "2026-03-16", to: "2026-03-17" } })),
    ).toEqual({
      custom: { from: "2026-03-16", to: "2026-03-17" },
    });
    expect(parseStoredChartRange(JSON.stringify({ custom: { from: "yesterday", to: "today" } }))).toBeNull();
    expect(parseStoredChartRange("{not json")).toBeNull();
    expect(parseStoredChartRange(null)).toBeNull();
  });
});
