import { describe, expect, it } from "vitest";

import { computeDailyStats } from "@/lib/kpi/daily-stats";

const T0 = Date.parse("2026-03-12T13:30:00Z");
const bar = (minute: number, open: number, high: number, low: number, close: number, volume: number) => ({
  ts: T0 + minute * 60_000,
  open,
  high,
  low,
  close,
  volume,
});

describe("computeDailyStats", () => {
  const bars = [
    bar(1, 101, 105, 100, 104, 50),
    bar(0, 100, 102, 98, 101, 150),
    bar(389, 104, 106, 103, 105, 0),
  ];

  it("takes the open of the first bar, the close of the last, the extremes and the volume sum", () => {
    const day = computeDailyStats("AAPL", "2026-03-12", bars, 95);
    expect(day).toMatchObject({ open: 100, high: 106, low: 98, close: 105, volume: 200, barCount: 3 });
    expect(day.firstTs).toBe(T0);
    expect(day.lastTs).toBe(T0 + 389 * 60_000);
    expect(day.range).toBe(8);
    expect(day.rangePct).toBeCloseTo((8 / 98) * 100, 12);
  });

  it("measures change % against the previous trading day's close", () => {
    expect(computeDailyStats("AAPL", "2026-03-12", bars, 100).changePct).toBeCloseTo(5, 12);
  });

  it("has no change % on the symbol's first day", () => {
    const day = computeDailyStats("AAPL", "2026-03-12", bars, null);
    expect(day.prevClose).toBeNull();
    expect(day.changePct).toBeNull();
  });
});
