import { describe, expect, it } from "vitest";

import {
  buildReplayTimeline,
  getInitialReplayClock,
  getPreviousDayStart,
  getRecordedTimestamp,
  getReplayTimestamp,
  getSlot,
} from "@/lib/ingest/replay/timeline";
import type { Bar } from "@/lib/kpi/types";

const NY = "America/New_York";
const bar = (iso: string): Bar => ({ ts: Date.parse(iso), open: 1, high: 1, low: 1, close: 1, volume: 1 });

// Two recorded days (Thu 2026-03-12 and Fri 2026-03-13) of three minutes each, at 09:30–09:32 EDT.
const recorded = new Map([
  [
    "AAPL",
    [
      "2026-03-12T13:30:00Z",
      "2026-03-12T13:31:00Z",
      "2026-03-12T13:32:00Z",
      "2026-03-13T13:30:00Z",
      "2026-03-13T13:31:00Z",
    ].map(bar),
  ],
  ["MSFT", ["2026-03-13T13:32:00Z"].map(bar)],
]);
const timeline = buildReplayTimeline(recorded, NY);

describe("replay timeline", () => {
  it("has the recorded days with the union of their session minutes", () => {
    expect(timeline.days).toEqual([
      { date: "2026-03-12", minutes: [570, 571, 572] },
      { date: "2026-03-13", minutes: [570, 571, 572] },
    ]);
    expect(timeline.length).toBe(6);
  });

  it("maps a position to its recorded bar and back", () => {
    expect(getSlot(timeline, 4)).toEqual({ loop: 0, dayIndex: 1, minute: 571 });
    expect(new Date(getRecordedTimestamp(timeline, 4)).toISOString()).toBe("2026-03-13T13:31:00.000Z");
  });

  it("shifts recorded days onto consecutive weekdays at the same local time, across DST", () => {
    // Anchor Friday 2026-11-20 (EST): day 0 → Fri 20th, day 1 → Mon 23rd, 09:30 New York = 14:30 UTC.
    expect(new Date(getReplayTimestamp(timeline, "2026-11-20", 0)).toISOString()).toBe(
      "2026-11-20T14:30:00.000Z",
    );
    expect(new Date(getReplayTimestamp(timeline, "2026-11-20", 3)).toISOString()).toBe(
      "2026-11-23T14:30:00.000Z",
    );
  });

  it("loops with timestamps still increasing", () => {
    const ts = Array.from({ length: 18 }, (_, p) => getReplayTimestamp(timeline, "2026-11-20", p));
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1]!)).toBe(true);
    expect(getSlot(timeline, 7)).toEqual({ loop: 1, dayIndex: 0, minute: 571 });
    expect(new Date(ts[6]!).toISOString()).toBe("2026-11-24T14:30:00.000Z"); // loop 1, day 0 → Tuesday
  });

  it("starts a new symbol's backfill at the previous replay day's open", () => {
    expect(getPreviousDayStart(timeline, 4)).toBe(0);
    expect(getPreviousDayStart(timeline, 1)).toBe(0);
    expect(getPreviousDayStart(timeline, 7)).toBe(3); // loop 1 day 0 → loop 0 day 1
  });

  it("replays the second recorded day today at today's session minute on first start", () => {
    // Monday 2026-11-23 09:31 New York.
    expect(getInitialReplayClock(timeline, Date.parse("2026-11-23T14:31:00Z"))).toEqual({
      anchorDate: "2026-11-20",
      position: 4,
    });
    // Before the open: the first minute; after the close: the last; on a Sunday: as on Friday.
    expect(getInitialReplayClock(timeline, Date.parse("2026-11-23T12:00:00Z")).position).toBe(3);
    expect(getInitialReplayClock(timeline, Date.parse("2026-11-23T22:00:00Z")).position).toBe(5);
    expect(getInitialReplayClock(timeline, Date.parse("2026-11-22T15:00:00Z"))).toEqual({
      anchorDate: "2026-11-19",
      position: 5,
    });
  });
});
