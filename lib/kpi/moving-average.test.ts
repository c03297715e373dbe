import { describe, expect, it } from "vitest";

import { computeSimpleMovingAverage } from "@/lib/kpi/moving-average";

describe("computeSimpleMovingAverage", () => {
  const closes = [10, 11, 12, 13, 14, 15];

  it("is null for the first bars of a symbol, until `period` bars exist", () => {
    expect(computeSimpleMovingAverage(closes, 0, 5)).toBeNull();
    expect(computeSimpleMovingAverage(closes, 3, 5)).toBeNull();
  });

  it("averages the bar and the period − 1 before it once enough bars exist", () => {
    expect(computeSimpleMovingAverage(closes, 4, 5)).toBe(12); // (10+11+12+13+14)/5
    expect(computeSimpleMovingAverage(closes, 5, 5)).toBe(13); // (11+12+13+14+15)/5
  });

  it("counts bars, not minutes: a gap in minutes does not shorten the window", () => {
    // The series holds bars only; a missing minute is simply not in the array.
    expect(computeSimpleMovingAverage([1, 2, 3, 4, 100], 4, 5)).toBe(22);
  });

  it("returns null outside the series", () => {
    expect(computeSimpleMovingAverage(closes, 6, 5)).toBeNull();
    expect(computeSimpleMovingAverage(closes, 2, 0)).toBeNull();
  });
});
