import { describe, expect, it } from "vitest";

import { MAX_POINTS, toChartPoints } from "@/components/chart/chart-points";
import type { FactBar } from "@/lib/kpi/types";

const MINUTE = 60_000;

function bar(i: number, close: number, tradeDate = "2026-03-12"): FactBar {
  return {
    symbol: "AAPL",
    ts: i * MINUTE,
    tradeDate,
    open: close - 1,
    high: close + 1,
    low: close - 2,
    close,
    volume: 100,
    ma5: null,
    ma20: null,
    ema20: null,
    vwap: null,
    isFinal: true,
  };
}

describe("toChartPoints", () => {
  it("keeps each bar's index in the whole range when zoomed, and its direction", () => {
    const bars = [bar(0, 10), { ...bar(1, 9), open: 11 }, bar(2, 12), bar(3, 13)];
    const points = toChartPoints(bars, { start: 1, end: 2 }, new Map());
    expect(points.map((p) => [p.i, p.close, p.isUp])).toEqual([
      [1, 9, false],
      [2, 12, true],
    ]);
  });

  it("merges a wide window to at most MAX_POINTS, each point at its first bar's index", () => {
    const bars = Array.from({ length: 1000 }, (_, i) => bar(i, 100 + i));
    const points = toChartPoints(bars, { start: 0, end: 999 }, new Map());
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points[1]!.i).toBe(3);
    expect(points[1]!.volume).toBe(300);
  });

  it("normalises compared closes from their first bar in the window, carried over a missing minute", () => {
    const bars = [bar(0, 100), bar(1, 110), bar(2, 120)];
    const other = [bar(1, 50)];
    const points = toChartPoints(bars, { start: 0, end: 2 }, new Map([["MSFT", other]]));
    expect(points.map((p) => p.pct)).toEqual([0, 10, 20]);
    expect(points.map((p) => p.compare.MSFT)).toEqual([null, 0, 0]);
  });

  it("breaks the drawn VWAP at a session's first bar and keeps its value for the tooltip", () => {
    const bars = [
      { ...bar(0, 10), vwap: 10 },
      { ...bar(1, 11), vwap: 10.5 },
      { ...bar(2, 12, "2026-03-13"), vwap: 12 },
    ];
    const points = toChartPoints(bars, { start: 0, end: 2 }, new Map());
    expect(points.map((p) => p.vwapLine)).toEqual([10, 10.5, null]);
    expect(points[2]!.vwap).toBe(12);
  });
});
