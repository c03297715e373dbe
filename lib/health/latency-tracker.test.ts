import { describe, expect, it } from "vitest";

import { toProducedAtHeaders } from "@/lib/events/produced-at-headers";
import { createLatencyTracker } from "@/lib/health/latency-tracker";

const T0 = Date.parse("2026-11-30T10:00:00Z");

describe("createLatencyTracker", () => {
  it("summarizes published → relayed over the window and forgets older updates", () => {
    const tracker = createLatencyTracker(60_000);
    tracker.observe({ publishedAt: T0 - 500, headers: {}, receivedAt: T0 });
    for (let i = 1; i <= 10; i++)
      tracker.observe({ publishedAt: T0 + 30_000, headers: {}, receivedAt: T0 + 30_000 + i * 10 });
    expect(tracker.summarize(T0 + 30_100).publishedToRelayed).toEqual({ p50Ms: 60, p99Ms: 500, count: 11 });
    // The first update is now older than the window.
    expect(tracker.summarize(T0 + 60_001).publishedToRelayed).toEqual({ p50Ms: 50, p99Ms: 100, count: 10 });
  });

  it("measures produced → relayed only for updates that carry the header", () => {
    const tracker = createLatencyTracker(60_000);
    tracker.observe({ publishedAt: T0, headers: {}, receivedAt: T0 + 20 });
    tracker.observe({
      publishedAt: T0,
      headers: toProducedAtHeaders({ oldest: T0 - 980, newest: T0 - 500 }),
      receivedAt: T0 + 20,
    });
    expect(tracker.summarize(T0 + 20).producedToRelayed).toEqual({ p50Ms: 1_000, p99Ms: 1_000, count: 1 });
  });

  it("shows clock skew between hosts as zero, not as a negative latency", () => {
    const tracker = createLatencyTracker(60_000);
    tracker.observe({ publishedAt: T0 + 40, headers: {}, receivedAt: T0 });
    expect(tracker.summarize(T0).publishedToRelayed.p50Ms).toBe(0);
  });
});
