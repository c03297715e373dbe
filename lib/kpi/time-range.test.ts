import { describe, expect, it } from "vitest";

import { MINUTE_MS } from "@/lib/kpi/durations";
import { clipToRange, computeRangeStart, countRangeTradingDays, TIME_RANGES } from "@/lib/kpi/time-range";

const M = MINUTE_MS;
const bar = (ts: number, tradeDate: string) => ({ ts, tradeDate });

describe("clipToRange", () => {
  const bars = [
    bar(0, "2026-03-11"),
    bar(1000 * M, "2026-03-12"),
    bar(1100 * M, "2026-03-12"),
    bar(1140 * M, "2026-03-12"),
    bar(1159 * M, "2026-03-12"),
  ];

  it("keeps the 60 minutes that end at the newest bar", () => {
    expect(clipToRange(bars, "1h").map((b) => b.ts / M)).toEqual([1100, 1140, 1159]);
  });

  it("keeps the newest trading day for the session", () => {
    expect(clipToRange(bars, "session")).toHaveLength(4);
  });

  it("keeps up to five trading days", () => {
    expect(clipToRange(bars, "5d")).toHaveLength(5);
  });

  it("keeps exactly five trading days when there are more", () => {
    const many = ["d1", "d2", "d3", "d4", "d5", "d6"].flatMap((d, i) => [
      bar(i * 100 * M, d),
      bar((i * 100 + 1) * M, d),
    ]);
    expect(clipToRange(many, "5d").map((b) => b.tradeDate)).toEqual([
      "d2",
      "d2",
      "d3",
      "d3",
      "d4",
      "d4",
      "d5",
      "d5",
      "d6",
      "d6",
    ]);
  });

  it("is empty without bars", () => {
    expect(clipToRange([], "session")).toEqual([]);
  });
});

describe("computeRangeStart", () => {
  it("starts the last hour 59 minutes before the newest bar, whatever the days", () => {
    expect(computeRangeStart("1h", 1159 * M, [0, 1000 * M])).toBe(1100 * M);
  });

  it("starts a day range at the first bar of the oldest of its days", () => {
    expect(computeRangeStart("session", 1159 * M, [1000 * M])).toBe(1000 * M);
    expect(computeRangeStart("5d", 1159 * M, [1000 * M, 0, 500 * M])).toBe(0);
  });

  it("starts at the newest bar when no day is known", () => {
    expect(computeRangeStart("5d", 1159 * M, [])).toBe(1159 * M);
  });

  it("agrees with clipToRange, which derives the days from the bars", () => {
    const bars = [bar(0, "a"), bar(10 * M, "b"), bar(20 * M, "b"), bar(30 * M, "c")];
    expect(clipToRange(bars, "5d")[0]!.ts).toBe(computeRangeStart("5d", 30 * M, [0, 10 * M, 30 * M]));
    expect(clipToRange(bars, "session")[0]!.ts).toBe(computeRangeStart("session", 30 * M, [30 * M]));
  });
});

describe("countRangeTradingDays", () => {
  it("is 0 for the minutes-based hour, 1 for the session and 5 for five days", () => {
    expect(TIME_RANGES.map(countRangeTradingDays)).toEqual([0, 1, 5]);
  });
});
