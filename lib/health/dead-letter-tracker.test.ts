import { describe, expect, it } from "vitest";

import { DLQ_HEADERS } from "@/lib/events/topics";
import { createDeadLetterTracker } from "@/lib/health/dead-letter-tracker";

const T0 = Date.parse("2026-11-30T10:00:00Z");

const letter = (reason: string, offset: number) => ({
  key: "AAPL",
  headers: {
    [DLQ_HEADERS.reason]: reason,
    [DLQ_HEADERS.sourcePartition]: "2",
    [DLQ_HEADERS.sourceOffset]: String(offset),
    [DLQ_HEADERS.failedAt]: new Date(T0 + offset).toISOString(),
  },
  receivedAt: T0 + 5_000,
});

describe("createDeadLetterTracker", () => {
  it("counts by reason and lists the newest first with where each came from", () => {
    const tracker = createDeadLetterTracker();
    tracker.observe(letter("empty message value", 1));
    tracker.observe(letter("not JSON: Unexpected token", 2));
    tracker.observe(letter("empty message value", 3));
    const { byReason, recent } = tracker.read();
    expect(byReason).toEqual({ "empty message value": 2, "not JSON: Unexpected token": 1 });
    expect(recent[0]).toEqual({
      at: T0 + 3,
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
    expect(recent[0]).toMatchObject({ at: T0 + 9_000, reason: "(no reason header)", sourceOffset: null });
    expect(byReason["(no reason header)"]).toBe(1);
  });

  it("counts reasons past the fiftieth distinct one together, so free text cannot grow the map", () => {
    const tracker = createDeadLetterTracker();
    for (let i = 0; i < 60; i++) tracker.observe(letter(`close: expected number, got ${i}`, i));
    const { byReason } = tracker.read();
    expect(Object.keys(byReason)).toHaveLength(51);
    expect(byReason["(other reasons)"]).toBe(10);
  });
});
