import { describe, expect, it } from "vitest";

import {
  alignCloses,
  computeNiceTicks,
  computeQuantile,
  computeVolumeCap,
  listSessionBreaks,
  normalizeToPercent,
} from "@/lib/kpi/chart-series";

describe("listSessionBreaks", () => {
  it("marks the first bar of each following trading day, never the first day", () => {
    const bars = [
      { tradeDate: "2026-03-12" },
      { tradeDate: "2026-03-12" },
      { tradeDate: "2026-03-13" },
      { tradeDate: "2026-03-16" },
      { tradeDate: "2026-03-16" },
    ];
    expect(listSessionBreaks(bars)).toEqual([
      { index: 2, tradeDate: "2026-03-13" },
      { index: 3, tradeDate: "2026-03-16" },
    ]);
  });

  it("has no break within one session or without bars", () => {
    expect(listSessionBreaks([{ tradeDate: "2026-03-12" }, { tradeDate: "2026-03-12" }])).toEqual([]);
    expect(listSessionBreaks([])).toEqual([]);
  });
});

describe("computeQuantile", () => {
  it("interpolates between neighbours", () => {
    expect(computeQuantile([0, 10], 0.5)).toBe(5);
    expect(computeQuantile([1, 2, 3, 4, 5], 1)).toBe(5);
    expect(computeQuantile([], 0.5)).toBeNaN();
  });
});

describe("computeVolumeCap", () => {
  it("caps far below one aggregated-volume spike, so ordinary bars keep their height", () => {
    const volumes = Array.from({ length: 99 }, (_, i) => 20_000 + (i % 10) * 1_000);
    volumes.push(3_970_000);
    const cap = computeVolumeCap(volumes);
    expect(cap).toBeLessThan(50_000);
    expect(cap).toBeGreaterThanOrEqual(29_000);
    expect(volumes.filter((v) => v > cap)).toEqual([3_970_000]);
  });

  it("is the largest volume when nothing stands out (nothing is clipped)", () => {
    expect(computeVolumeCap([10, 10, 10, 10])).toBe(10);
  });

  it("keeps the largest bar as the top when almost every bar traded nothing", () => {
    expect(computeVolumeCap([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500])).toBe(500);
  });

  it("is 0 for no volume at all", () => {
    expect(computeVolumeCap([])).toBe(0);
    expect(computeVolumeCap([0, 0])).toBe(0);
  });
});

describe("normalizeToPercent", () => {
  it("measures every value against the first one", () => {
    expect(normalizeToPercent([200, 210, 190])).toEqual([0, 5, -5]);
  });

  it("starts from the first value present when the range's first one is missing", () => {
    expect(normalizeToPercent([null, null, 50, 55])).toEqual([null, null, 0, 10]);
  });

  it("skips a zero base and gives all null without a usable value", () => {
    expect(normalizeToPercent([0, 10, 20])).toEqual([-100, 0, 100]);
    expect(normalizeToPercent([null, Number.NaN])).toEqual([null, null]);
  });
});

describe("alignCloses", () => {
  it("takes the bar at each time, or the latest before it, and null before the first", () => {
    const bars = [
      { ts: 120, close: 2 },
      { ts: 180, close: 3 },
      { ts: 300, close: 5 },
    ];
    expect(alignCloses([60, 120, 240, 300, 360], bars)).toEqual([null, 2, 3, 5, 5]);
  });
});

describe("computeNiceTicks", () => {
  it("picks a 1, 2, 2.5 or 5 step inside the range", () => {
    expect(computeNiceTicks(99.69, 103.47)).toEqual([100, 101, 102, 103]);
    expect(computeNiceTicks(-0.36, 6.23)).toEqual([0, 2, 4, 6]);
    expect(computeNiceTicks(245.48, 259.47)).toEqual([247.5, 250, 252.5, 255, 257.5]);
    expect(computeNiceTicks(0.1, 0.35)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });

  it("keeps every tick within the range and at most count + 1 of them", () => {
    for (const [lo, hi] of [
      [1, 1.07],
      [12_000, 98_000],
      [-3.2, -0.4],
      [0.00012, 0.00019],
    ] as const) {
      const ticks = computeNiceTicks(lo, hi);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(6);
      for (const t of ticks) {
        expect(t).toBeGreaterThanOrEqual(lo);
        expect(t).toBeLessThanOrEqual(hi);
      }
    }
  });

  it("is empty for an empty or invalid range", () => {
    expect(computeNiceTicks(5, 5)).toEqual([]);
    expect(computeNiceTicks(6, 5)).toEqual([]);
    expect(computeNiceTicks(Number.NaN, 5)).toEqual([]);
  });
});
