import { describe, expect, it } from "vitest";

import { downsampleBars } from "@/lib/kpi/downsample";
import type { FactBar } from "@/lib/kpi/types";

const bar = (i: number): FactBar => ({
  symbol: "AAPL",
  ts: i * 60_000,
  tradeDate: "2026-03-12",
  open: 100 + i,
  high: 101 + i,
  low: 99 + i,
  close: 100.5 + i,
  volume: 10,
  ma5: i,
  ma20: null,
  ema20: null,
  vwap: null,
  isFinal: true,
});

describe("downsampleBars", () => {
  it("keeps short series untouched", () => {
    const bars = [bar(0), bar(1)];
    expect(downsampleBars(bars, 10)).toEqual(bars);
  });

  it("merges runs into OHLCV points with the last bar's averages", () => {
    const out = downsampleBars([0, 1, 2, 3, 4].map(bar), 2);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ ts: 0, open: 100, high: 103, low: 99, close: 102.5, volume: 30, ma5: 2 });
    expect(out[1]).toMatchObject({
      ts: 3 * 60_000,
      open: 103,
      high: 105,
      low: 102,
      close: 104.5,
      volume: 20,
      ma5: 4,
    });
  });

  it("never returns more than the limit", () => {
    expect(
      downsampleBars(
        Array.from({ length: 1950 }, (_, i) => bar(i)),
        500,
      ).length,
    ).toBeLessThanOrEqual(500);
  });
});
