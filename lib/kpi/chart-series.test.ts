import { describe, expect, it } from "vitest";

import {
  alignCloses,
  computeNiceTicks,
  computeQuantile,
  computeTimeTicks,
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

describe("computeTimeTicks", () => {
  const M = 60_000;
  /** One-minute bars of New York sessions (09:30–15:59 EDT = 13:30–19:59 UTC) from 2026-03-16 on. */
  function sessions(days: number, step = 1) {
    const points: { i: number; ts: number }[] = [];
    for (let d = 0; d < days; d++) {
      const open = Date.parse("2026-03-16T13:30:00Z") + d * 86_400_000;
      for (let k = 0; k < 390; k += step) points.push({ i: points.length, ts: open + k * M });
    }
    return points;
  }
  const labels = (points: { i: number; ts: number }[], ticks: number[], timeZone: string) =>
    ticks.map((i) =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(points[i]!.ts),
    );

  it("labels a session on the hour in the exchange's zone, from 10:00 after a 09:30 open", () => {
    const points = sessions(1);
    const ticks = computeTimeTicks(points, "America/New_York");
    expect(labels(points, ticks, "America/New_York")).toEqual([
      "10:00",
      "11:00",
      "12:00",
      "13:00",
      "14:00",
      "15:00",
    ]);
  });

  it("takes the finest step that fits: every 5 minutes over 25 bars, every 30 with fewer labels allowed", () => {
    const points = sessions(1).slice(0, 25); // 09:30–09:54
    expect(labels(points, computeTimeTicks(points, "America/New_York"), "America/New_York")).toEqual([
      "09:30",
      "09:35",
      "09:40",
      "09:45",
      "09:50",
    ]);
    const morning = sessions(1).slice(0, 120); // 09:30–11:29
    expect(labels(morning, computeTimeTicks(morning, "America/New_York", 4), "America/New_York")).toEqual([
      "09:30",
      "10:00",
      "10:30",
      "11:00",
    ]);
  });

  it("follows the zone it is shown in (UTC labels on UTC hours)", () => {
    const points = sessions(1);
    expect(labels(points, computeTimeTicks(points, "UTC"), "UTC")).toEqual([
      "14:00",
      "15:00",
      "16:00",
      "17:00",
      "18:00",
      "19:00",
    ]);
  });

  it("labels days when even twelve hours give too many, and keeps merged points' indexes", () => {
    const points = sessions(10, 5).map((p) => ({ ...p, i: p.i * 5 }));
    const ticks = computeTimeTicks(points, "America/New_York");
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const i of ticks) {
      expect(i % 5).toBe(0);
      expect(labels(points, [i / 5], "America/New_York")).toEqual(["09:30"]);
    }
  });

  it("is empty without points", () => {
    expect(computeTimeTicks([], "UTC")).toEqual([]);
  });
});
