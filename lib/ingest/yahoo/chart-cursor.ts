import type { IngestCursor } from "@/lib/ingest/driver";
import type { YahooChartWindow } from "@/lib/ingest/yahoo/chart";
import { computeTradingDate } from "@/lib/kpi/trading-day";
import type { Bar } from "@/lib/kpi/types";

const DAY_MS = 86_400_000;
/** Yahoo keeps 1-minute bars for about 30 days; asking for older ones fails the whole request. */
const MAX_HISTORY_DAYS = 29;
/** Yahoo answers at most about 7 days of 1-minute bars per request. */
const MAX_WINDOW_DAYS = 7;
/** How far behind the newest sent bar revisions are still tracked (Yahoo revises the last minute or two). */
const REVISION_WINDOW_MS = 30 * 60_000;

/** Where one symbol's Yahoo feed stands in this process. */
export type ChartCursor = {
  /** Start of the next request (ms); null while only the latest session is wanted. */
  fetchFrom: number | null;
  /** Bars before this were published earlier (by this or an earlier process) and are not sent again. */
  floor: number;
  /** What was last sent for each bar at or after `floor`, to re-send a bar only when Yahoo revised it. */
  sent: Map<number, string>;
  newestSent: number | null;
  /** True once a request has reached the present: what is left is polling, not catching up. */
  isCaughtUp: boolean;
};

/**
 * The cursor of a symbol seen for the first time. With a durable cursor the feed resumes at the last
 * published bar (it is fetched again, as Yahoo may have revised it); without one it backfills
 * `backfillDays` days, or with 0 only the latest session.
 */
export function createChartCursor(
  durable: IngestCursor | null,
  now: number,
  backfillDays: number,
): ChartCursor {
  const base = { sent: new Map<number, string>(), newestSent: null, isCaughtUp: false };
  if (durable) return { ...base, fetchFrom: durable.lastTs, floor: durable.lastTs };
  const days = Math.min(Math.max(0, backfillDays), MAX_HISTORY_DAYS);
  return { ...base, fetchFrom: days > 0 ? now - days * DAY_MS : null, floor: 0 };
}

/** The next request for this cursor: at most 7 days, never before now − 29 days; null when nothing is left. */
export function planChartWindow(cursor: ChartCursor, now: number): YahooChartWindow | null {
  const oldest = now - MAX_HISTORY_DAYS * DAY_MS;
  // Seven days reach back over a weekend plus holidays to the latest session.
  const from =
    cursor.fetchFrom === null ? now - MAX_WINDOW_DAYS * DAY_MS : Math.max(cursor.fetchFrom, oldest);
  const to = Math.min(from + MAX_WINDOW_DAYS * DAY_MS, now);
  return to - from >= 1_000 ? { from, to } : null;
}

/** Keeps the bars of the latest trading day present (exchange time zone). */
export function keepLatestSession(bars: readonly Bar[], timeZone: string): Bar[] {
  const last = bars.at(-1);
  if (!last) return [];
  const day = computeTradingDate(last.ts, timeZone);
  return bars.filter((bar) => computeTradingDate(bar.ts, timeZone) === day);
}

/** Bars that are new or differ from what was last sent for their minute. */
export function selectChangedBars(cursor: ChartCursor, bars: readonly Bar[]): Bar[] {
  return bars.filter((bar) => bar.ts >= cursor.floor && cursor.sent.get(bar.ts) !== fingerprintBar(bar));
}

/** Records bars handed to the publisher and forgets those too old to be revised. */
export function recordSentBars(cursor: ChartCursor, bars: readonly Bar[]): void {
  for (const bar of bars) {
    cursor.sent.set(bar.ts, fingerprintBar(bar));
    cursor.newestSent = Math.max(cursor.newestSent ?? bar.ts, bar.ts);
  }
  if (cursor.newestSent === null) return;
  const floor = cursor.newestSent - REVISION_WINDOW_MS;
  if (floor <= cursor.floor) return;
  cursor.floor = floor;
  for (const ts of cursor.sent.keys()) if (ts < floor) cursor.sent.delete(ts);
}

/**
 * Moves the cursor past a finished request. A window that ended before now is history: the next one
 * starts at its end. The window that reached now restarts at its newest bar, the one Yahoo may still
 * revise.
 */
export function advanceChartCursor(
  cursor: ChartCursor,
  window: YahooChartWindow,
  bars: readonly Bar[],
  now: number,
): void {
  const newest = bars.at(-1)?.ts ?? null;
  const reachedNow = window.to >= now;
  if (!reachedNow) cursor.fetchFrom = window.to;
  else if (newest !== null) cursor.fetchFrom = Math.max(cursor.fetchFrom ?? newest, newest);
  cursor.isCaughtUp = reachedNow;
}

function fingerprintBar(bar: Bar): string {
  return `${bar.open}|${bar.high}|${bar.low}|${bar.close}|${bar.volume}`;
}
