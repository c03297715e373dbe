import { describe, expect, it } from "vitest";

import { MINUTE_MS } from "@/lib/kpi/durations";
import {
  computeWindowEnd,
  computeWindowKpi,
  computeWindowStart,
  keepNewestWindowPerLength,
  pickNewerWindow,
  shouldReplaceWindow,
} from "@/lib/kpi/tumbling-window";

const T0 = Date.parse("2026-03-12T13:30:00Z");
const M = MINUTE_MS;
const bar = (minute: number, open: number, high: number, low: number, close: number, volume: number) => ({
  ts: T0 + minute * M,
  open,
  high,
  low,
  close,
  volume,
});

describe("computeWindowStart", () => {
  it("aligns windows to the epoch: 13:37 is in the 13:35 five-minute window and the 13:00 hour", () => {
    const ts = T0 + 7 * M;
    expect(new Date(computeWindowStart(ts, 5)).toISOString()).toBe("2026-03-12T13:35:00.000Z");
    expect(new Date(computeWindowStart(ts, 15)).toISOString()).toBe("2026-03-12T13:30:00.000Z");
    expect(new Date(computeWindowStart(ts, 60)).toISOString()).toBe("2026-03-12T13:00:00.000Z");
  });

  it("puts a bar that starts exactly on a boundary in the window it opens", () => {
    expect(computeWindowStart(T0 + 5 * M, 5)).toBe(T0 + 5 * M);
  });
});

describe("computeWindowEnd", () => {
  it("ends a window where the next one of the same length starts (exclusive end)", () => {
    const start = computeWindowStart(T0 + 7 * M, 15);
    const end = computeWindowEnd(start, 15);
    expect(end).toBe(start + 15 * M);
    expect(computeWindowStart(end - 1, 15)).toBe(start);
    expect(computeWindowStart(end, 15)).toBe(end);
  });
});

describe("computeWindowKpi", () => {
  it("computes avg of closes, VWAP, total volume and gain from first open to last close", () => {
    const kpi = computeWindowKpi("AAPL", 5, [
      bar(2, 102, 104, 101, 103, 300), // typical 102.666…
      bar(0, 100, 101, 99, 100, 100), // typical 100
      bar(1, 100, 102, 100, 101, 0), // zero volume: no weight
    ]);
    expect(kpi.windowStart).toBe(T0);
    expect(kpi.windowEnd).toBe(T0 + 5 * M);
    expect(kpi.avgPrice).toBeCloseTo((103 + 100 + 101) / 3, 12);
    expect(kpi.totalVolume).toBe(400);
    expect(kpi.vwap).toBeCloseTo((100 * 100 + ((104 + 101 + 103) / 3) * 300) / 400, 12);
    expect(kpi.gainPct).toBeCloseTo(3, 12); // (103 − 100) / 100 × 100
    expect(kpi.high).toBe(104);
    expect(kpi.low).toBe(99);
    expect(kpi.barCount).toBe(3);
  });

  it("has a null VWAP for a window with no volume, and a gain from a single bar", () => {
    const kpi = computeWindowKpi("AAPL", 5, [bar(0, 100, 101, 99, 101, 0)]);
    expect(kpi.vwap).toBeNull();
    expect(kpi.gainPct).toBeCloseTo(1, 12);
  });

  it("rejects bars from another window", () => {
    expect(() => computeWindowKpi("AAPL", 5, [bar(0, 1, 1, 1, 1, 1), bar(5, 1, 1, 1, 1, 1)])).toThrow(
      /not in the 5-minute window/,
    );
  });
});

describe("newest window per length", () => {
  const w = (windowMinutes: number, windowStart: number, revision: number) => ({
    windowMinutes,
    windowStart,
    revision,
  });

  it("replaces a window by a newer one and never by an older one, whichever arrives last", () => {
    expect(pickNewerWindow(w(5, T0, 1), w(5, T0 + 5 * M, 2))).toEqual(w(5, T0 + 5 * M, 2));
    expect(pickNewerWindow(w(5, T0 + 5 * M, 1), w(5, T0, 2))).toEqual(w(5, T0 + 5 * M, 1));
  });

  it("at an equal window start, takes the later-arriving revision", () => {
    expect(pickNewerWindow(w(5, T0, 1), w(5, T0, 2))).toEqual(w(5, T0, 2));
    expect(shouldReplaceWindow({ windowStart: T0 }, { windowStart: T0 })).toBe(true);
  });

  it("takes the incoming window when there is none yet or the current one has no start", () => {
    expect(pickNewerWindow(undefined, w(5, T0, 1))).toEqual(w(5, T0, 1));
    expect(shouldReplaceWindow(null, { windowStart: T0 })).toBe(true);
    expect(shouldReplaceWindow({ windowStart: null }, { windowStart: T0 })).toBe(true);
    expect(shouldReplaceWindow({ windowStart: T0 + 1 }, { windowStart: T0 })).toBe(false);
  });

  it("keeps one window per length, the newest, sorted by length", () => {
    const kept = keepNewestWindowPerLength(
      [w(15, T0, 1), w(5, T0, 1)],
      [w(5, T0 + 5 * M, 2), w(15, T0 - 15 * M, 2), w(60, T0, 2), w(5, T0 + 5 * M, 3)],
    );
    expect(kept).toEqual([w(5, T0 + 5 * M, 3), w(15, T0, 1), w(60, T0, 2)]);
    expect(keepNewestWindowPerLength([], [])).toEqual([]);
  });
});
