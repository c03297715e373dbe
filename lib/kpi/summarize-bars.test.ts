import { describe, expect, it } from "vitest";

import {
  addToSummary,
  copyRunningSummary,
  createRunningSummary,
  finishSummary,
  summarizeBars,
} from "@/lib/kpi/summarize-bars";
import type { Bar } from "@/lib/kpi/types";

const bars: Bar[] = [
  { ts: 0, open: 10, high: 12, low: 9, close: 11, volume: 100 },
  { ts: 60_000, open: 11, high: 15, low: 10, close: 14, volume: 50 },
  { ts: 120_000, open: 14, high: 14.5, low: 8, close: 9, volume: 0 },
];

describe("running summary", () => {
  it("keeps copies of its first and last bars: one scratch object refilled per bar sums the same", () => {
    const scratch: Bar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    const s = createRunningSummary();
    let checkpoint: ReturnType<typeof copyRunningSummary> | null = null;
    for (const bar of bars) {
      addToSummary(s, Object.assign(scratch, bar));
      if (bar.ts === 60_000) checkpoint = copyRunningSummary(s);
    }
    Object.assign(scratch, { ts: -1, open: -1, high: -1, low: -1, close: -1, volume: -1 });
    const summary = finishSummary(s);
    expect(summary).toEqual(summarizeBars(bars));
    expect(summary.first).toEqual(bars[0]);
    expect(summary.last).toEqual(bars[2]);
    // A copy taken on the way is not moved by the bars added after it, nor is a finished summary.
    expect(finishSummary(checkpoint!)).toEqual(summarizeBars(bars.slice(0, 2)));
    addToSummary(s, { ts: 180_000, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    expect(summary.last).toEqual(bars[2]);
  });
});
