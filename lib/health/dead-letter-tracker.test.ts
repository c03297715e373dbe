import { describe, expect, it } from "vitest";

import { DLQ_HEADERS } from "@/lib/events/topics";
import { createDeadLetterTracker } from "@/lib/health/dead-letter-tracker";

const T0 = Date.parse("2026-11-30T10:00:00Z");

const letter = (reason: string, offset: number, reasonClass = "schema") => ({
  key: "AAPL",
  headers: {
    [DLQ_HEADERS.reason]: reason,
    [DLQ_HEADERS.reasonClass]: reasonClass,
    [DLQ_HEADERS.sourcePartition]: "2",
    [DLQ_HEADERS.sourceOffset]: String(offset),
    [DLQ_HEADERS.failedAt]: new Date(T0 + offset).toISOString(),
  },
  receivedAt: T0 + 5_000,
});

describe("createDeadLetterTracker", () => {
  it("counts by the reason class of the header and lists the newest first with where each came from", () => {
    const tracker = createDeadLetterTracker();
    tracker.observe(letter("empty message value", 1, "empty"));
    tracker.observe(letter("not JSON: Unexpected token", 2, "not_json"));
    tracker.observe(letter("empty message value", 3, "empty"));
    const { byReason, recent } = tracker.read();
    expect(byReason).toEqual({ empty: 2, not_json: 1 });
    expect(recent[0]).toEqual({
      at: T0 + 3,
      reasonClass: "empty",
      reason: "empty message value",
      key: "AAPL",
      sourcePartition: 2,
      sourceOffset: 3,
    });
    expect(recent.map((d) => d.sourceOffset)).toEqual([3, 2, 1]);
  });

  it("keeps the last 20 and falls back to the receipt time and a placeholder without headers", () => {
    const tracker = createDeadLetterTracker();
    for (let i = 0; i < 25; i++) tracker.observe(letter(`reason ${i}`, i));
    tracker.observe({ key: null, headers: {}, receivedAt: T0 + 9_000 });
    const { recent, byReason } = tracker.read();
    expect(recent).toHaveLength(20);
    expect(recent[0]).toMatchObject({
      at: T0 + 9_000,
      reasonClass: "other",
      reason: "(no reason header)",
      sourceOffset: null,
    });
    expect(byReason).toEqual({ schema: 25, other: 1 });
  });

  it("counts a letter whose class header is unknown (an older or newer worker) as other", () => {
    const tracker = createDeadLetterTracker();
    for (let i = 0; i < 3; i++) tracker.observe(letter(`close: expected number, got ${i}`, i, "mystery"));
    expect(tracker.read().byReason).toEqual({ other: 3 });
  });
});
