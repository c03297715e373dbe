import { describe, expect, it } from "vitest";

import { clipToRange } from "@/lib/kpi/time-range";

const M = 60_000;
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

  it("is empty without bars", () => {
    expect(clipToRange([], "session")).toEqual([]);
  });
});
