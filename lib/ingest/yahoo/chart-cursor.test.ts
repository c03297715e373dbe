import { describe, expect, it } from "vitest";

import {
  advanceChartCursor,
  createChartCursor,
  keepLatestSession,
  planChartWindow,
  recordSentBars,
  selectChangedBars,
} from "@/lib/ingest/yahoo/chart-cursor";
import type { Bar } from "@/lib/kpi/types";

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = Date.UTC(2024, 9, 3);
const bar = (ts: number, close = 1, volume = 1): Bar => ({
  ts,
  open: close,
  high: close,
  low: close,
  close,
  volume,
});

describe("planChartWindow", () => {
  it("asks for the last 7 days when only the latest session is wanted", () => {
    expect(planChartWindow(createChartCursor(null, NOW, 0), NOW)).toEqual({ from: NOW - 7 * DAY, to: NOW });
  });

  it("caps a window at 7 days and never starts before now − 29 days", () => {
    expect(planChartWindow(createChartCursor(null, NOW, 10), NOW)).toEqual({
      from: NOW - 10 * DAY,
      to: NOW - 3 * DAY,
    });
    const stale = createChartCursor({ lastTs: NOW - 60 * DAY, replaySeq: null }, NOW, 0);
    expect(planChartWindow(stale, NOW)).toEqual({ from: NOW - 29 * DAY, to: NOW - 22 * DAY });
  });

  it("has nothing to ask when the cursor is at now", () => {
    expect(planChartWindow(createChartCursor({ lastTs: NOW, replaySeq: null }, NOW, 0), NOW)).toBeNull();
  });
});

describe("selectChangedBars / recordSentBars", () => {
  it("sends the durable cursor's bar again (it may have been revised) but nothing before it", () => {
    const cursor = createChartCursor({ lastTs: NOW - 2 * MIN, replaySeq: null }, NOW, 0);
    expect(
      selectChangedBars(cursor, [bar(NOW - 3 * MIN), bar(NOW - 2 * MIN), bar(NOW - MIN)]).map((b) => b.ts),
    ).toEqual([NOW - 2 * MIN, NOW - MIN]);
  });

  it("sends a bar again only when Yahoo changed it", () => {
    const cursor = createChartCursor(null, NOW, 0);
    recordSentBars(cursor, [bar(NOW - 2 * MIN), bar(NOW - MIN, 5, 10)]);
    expect(selectChangedBars(cursor, [bar(NOW - 2 * MIN), bar(NOW - MIN, 5, 10)])).toEqual([]);
    expect(selectChangedBars(cursor, [bar(NOW - 2 * MIN), bar(NOW - MIN, 5, 12), bar(NOW)])).toEqual([
      bar(NOW - MIN, 5, 12),
      bar(NOW),
    ]);
  });

  it("forgets bars more than 30 minutes behind the newest and never re-sends them", () => {
    const cursor = createChartCursor(null, NOW, 0);
    recordSentBars(cursor, [bar(NOW - 60 * MIN), bar(NOW)]);
    expect(cursor.sent.has(NOW - 60 * MIN)).toBe(false);
    expect(selectChangedBars(cursor, [bar(NOW - 60 * MIN, 2)])).toEqual([]);
  });
});

describe("advanceChartCursor", () => {
  it("moves past a finished historic window, even an empty one", () => {
    const cursor = createChartCursor(null, NOW, 10);
    advanceChartCursor(cursor, { from: NOW - 10 * DAY, to: NOW - 3 * DAY }, [], NOW);
    expect(cursor).toMatchObject({ fetchFrom: NOW - 3 * DAY, isCaughtUp: false });
  });

  it("restarts the window that reached now at its newest bar", () => {
    const cursor = createChartCursor(null, NOW, 0);
    advanceChartCursor(cursor, { from: NOW - 7 * DAY, to: NOW }, [bar(NOW - 5 * MIN), bar(NOW - MIN)], NOW);
    expect(cursor).toMatchObject({ fetchFrom: NOW - MIN, isCaughtUp: true });
  });
});

describe("keepLatestSession", () => {
  it("keeps the last trading day in the exchange's zone (a New York evening is still that day)", () => {
    const bars = [
      bar(Date.UTC(2024, 9, 1, 19, 59)),
      bar(Date.UTC(2024, 9, 2, 13, 30)),
      bar(Date.UTC(2024, 9, 2, 19, 59)),
    ];
    expect(keepLatestSession(bars, "America/New_York").map((b) => b.ts)).toEqual([
      Date.UTC(2024, 9, 2, 13, 30),
      Date.UTC(2024, 9, 2, 19, 59),
    ]);
    expect(keepLatestSession([], "America/New_York")).toEqual([]);
  });
});
