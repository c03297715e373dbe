import { describe, expect, it } from "vitest";

import { computeAchievedRate, countDueEvents, splitIntoSends } from "./pacing";

describe("countDueEvents", () => {
  it("owes rate × elapsed time less what was sent", () => {
    expect(countDueEvents(2_000, 50, 0)).toBe(100);
    expect(countDueEvents(2_000, 100, 100)).toBe(100);
  });

  it("makes up a late tick at the next one instead of lowering the rate", () => {
    // The 50 ms tick came at 250 ms: four ticks' worth are owed at once.
    expect(countDueEvents(10_000, 250, 500)).toBe(2_000);
  });

  it("owes nothing when ahead of the schedule or before the start", () => {
    expect(countDueEvents(2_000, 50, 150)).toBe(0);
    expect(countDueEvents(2_000, -10, 0)).toBe(0);
  });

  it("rounds down so that the total never exceeds the schedule", () => {
    expect(countDueEvents(3, 999, 0)).toBe(2);
  });
});

describe("computeAchievedRate", () => {
  it("is events per second over the elapsed time", () => {
    expect(computeAchievedRate(120_000, 60_000)).toBe(2_000);
    expect(computeAchievedRate(10, 0)).toBe(0);
  });
});

describe("splitIntoSends", () => {
  it("cuts a burst into sends of at most the limit", () => {
    expect(splitIntoSends(12_000, 5_000)).toEqual([5_000, 5_000, 2_000]);
    expect(splitIntoSends(0, 5_000)).toEqual([]);
  });
});
