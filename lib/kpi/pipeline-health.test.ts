import { describe, expect, it } from "vitest";

import {
  assessSymbolFreshness,
  computeExpectedBarAgeMs,
  computePercentile,
  computeRatePerSecond,
  isHeartbeatStale,
  isMarketExpectedOpen,
  isPartitionStalled,
  PARTITION_STALL_MS,
  trackPartitionProgress,
  type PartitionProgress,
} from "@/lib/kpi/pipeline-health";

const T0 = Date.parse("2026-11-30T09:00:00Z");
const MIN = 60_000;

/** Feeds samples (storedOffset, highWatermark) two seconds apart and returns the last state. */
function track(samples: [number, number][], start = T0): PartitionProgress {
  let state: PartitionProgress | null = null;
  samples.forEach(([storedOffset, highWatermark], i) => {
    state = trackPartitionProgress(state, { storedOffset, highWatermark, at: start + i * 2_000 });
  });
  return state!;
}

describe("trackPartitionProgress and isPartitionStalled", () => {
  it("is not stalled while the stored offset moves, however large the lag", () => {
    const p = track([
      [0, 5_000],
      [300, 5_200],
      [600, 5_400],
      [900, 5_600],
      [1_200, 5_800],
    ]);
    expect(p.lag).toBe(4_600);
    expect(p.hasProgressed).toBe(true);
    expect(isPartitionStalled(p, T0 + 8_000)).toBe(false);
  });

  it("is stalled from the instant lag has stood with an unchanged offset for the stall time, not a millisecond before", () => {
    const p = track([
      [100, 100],
      [100, 140],
      [100, 180],
    ]);
    expect(p.stuckSince).toBe(T0 + 2_000);
    expect(isPartitionStalled(p, T0 + 2_000 + PARTITION_STALL_MS - 1)).toBe(false);
    expect(isPartitionStalled(p, T0 + 2_000 + PARTITION_STALL_MS)).toBe(true);
  });

  it("does not count a quiet spell without lag: the clock starts when unapplied events appear", () => {
    const quiet = track([
      [50, 50],
      [50, 50],
      [50, 50],
      [50, 50],
      [50, 51],
    ]);
    expect(quiet.stuckSince).toBe(T0 + 8_000);
    expect(isPartitionStalled(quiet, T0 + 9_000)).toBe(false);
  });

  it("restarts the clock when the offset moves but lag remains, and clears it once the lag drains", () => {
    const moved = track([
      [10, 20],
      [10, 20],
      [10, 20],
      [15, 25],
    ]);
    expect(moved.stuckSince).toBe(T0 + 6_000);
    const drained = track([
      [10, 20],
      [20, 20],
    ]);
    expect(drained.stuckSince).toBeNull();
    expect(drained.lag).toBe(0);
  });

  it("starts the clock at the first sample of a partition that already has lag", () => {
    const first = trackPartitionProgress(null, { storedOffset: 0, highWatermark: 10, at: T0 });
    expect(first).toMatchObject({ lag: 10, hasProgressed: false, stuckSince: T0 });
  });

  it("never reports negative lag (a stored offset read after the high watermark)", () => {
    expect(track([[12, 10]]).lag).toBe(0);
  });
});

describe("isHeartbeatStale", () => {
  it("keeps a heartbeat live up to three beats and stale just after", () => {
    expect(isHeartbeatStale(6, 2)).toBe(false);
    expect(isHeartbeatStale(6.001, 2)).toBe(true);
  });

  it("detects a silent worker within 10 seconds with the default two-second beat", () => {
    expect(isHeartbeatStale(8, 2)).toBe(true);
  });
});

describe("computeExpectedBarAgeMs", () => {
  it("is two poll intervals, never under three minutes", () => {
    expect(computeExpectedBarAgeMs(30)).toBe(3 * MIN);
    expect(computeExpectedBarAgeMs(90)).toBe(3 * MIN);
    expect(computeExpectedBarAgeMs(91)).toBe(182_000);
    expect(computeExpectedBarAgeMs(600)).toBe(20 * MIN);
  });
});

describe("isMarketExpectedOpen", () => {
  it("treats replayed and synthetic symbols as trading around the clock", () => {
    expect(isMarketExpectedOpen("replay", null)).toBe(true);
    expect(isMarketExpectedOpen("synthetic", "closed")).toBe(true);
  });

  it("expects Yahoo bars only while the market state says open", () => {
    expect(isMarketExpectedOpen("yahoo", "open")).toBe(true);
    expect(isMarketExpectedOpen("yahoo", "REGULAR")).toBe(true);
    expect(isMarketExpectedOpen("yahoo", "closed")).toBe(false);
    expect(isMarketExpectedOpen("yahoo", "pre")).toBe(false);
    expect(isMarketExpectedOpen("yahoo", null)).toBe(false);
  });

  it("never expects bars from an external source", () => {
    expect(isMarketExpectedOpen("external", "open")).toBe(false);
  });
});

describe("assessSymbolFreshness", () => {
  const base = { activeSince: T0 - 60 * MIN, pollIntervalSeconds: 60, isMarketOpen: true, now: T0 };

  it("is fresh at exactly the expected age and stale a millisecond later", () => {
    expect(assessSymbolFreshness({ ...base, newestBarTs: T0 - 3 * MIN }).isStale).toBe(false);
    const stale = assessSymbolFreshness({ ...base, newestBarTs: T0 - 3 * MIN - 1 });
    expect(stale).toEqual({ ageMs: 3 * MIN + 1, expectedMs: 3 * MIN, isStale: true });
  });

  it("is never stale while the market is closed", () => {
    expect(
      assessSymbolFreshness({ ...base, isMarketOpen: false, newestBarTs: T0 - 24 * 60 * MIN }).isStale,
    ).toBe(false);
  });

  it("gives a symbol without bars the expected time from its activation before calling it stale", () => {
    expect(assessSymbolFreshness({ ...base, newestBarTs: null, activeSince: T0 - MIN })).toEqual({
      ageMs: null,
      expectedMs: 3 * MIN,
      isStale: false,
    });
    expect(assessSymbolFreshness({ ...base, newestBarTs: null, activeSince: T0 - 4 * MIN }).isStale).toBe(
      true,
    );
  });
});

describe("computeRatePerSecond", () => {
  it("divides the counter's increase by the elapsed time", () => {
    expect(computeRatePerSecond(100, 160, 2_000)).toBe(30);
    expect(computeRatePerSecond(100, 100, 2_000)).toBe(0);
  });

  it("knows no rate when the counter went backwards or no time passed", () => {
    expect(computeRatePerSecond(100, 20, 2_000)).toBeNull();
    expect(computeRatePerSecond(100, 120, 0)).toBeNull();
  });
});

describe("computePercentile", () => {
  it("takes the nearest rank: p50 of 1..10 is 5, p99 is 10, p0 is the minimum", () => {
    const values = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6];
    expect(computePercentile(values, 50)).toBe(5);
    expect(computePercentile(values, 99)).toBe(10);
    expect(computePercentile(values, 0)).toBe(1);
  });

  it("is the only value for one value, and null for none", () => {
    expect(computePercentile([42], 99)).toBe(42);
    expect(computePercentile([], 50)).toBeNull();
  });
});
