import {
  addWeekdays,
  computeLocalMinuteOfDay,
  computeTradingDate,
  computeZonedTimestamp,
  isWeekend,
} from "@/lib/kpi/trading-day";
import type { Bar } from "@/lib/kpi/types";

/**
 * The replay feed's calendar. The recorded trading days (with the union of their session minutes)
 * form one loop; position p counts minutes along the looped recording. Recorded day k of loop L is
 * replayed on the weekday `anchorDate + L·K + k` (K recorded days) at the same local time of day, so the
 * feed keeps real session hours, real days and increasing timestamps while it loops.
 */
export type ReplayTimeline = {
  timeZone: string;
  days: { date: string; minutes: number[] }[];
  /** Index of each day's first position within a loop. */
  dayStarts: number[];
  /** Positions per loop. */
  length: number;
};

export type ReplayClock = { anchorDate: string; position: number };

export function buildReplayTimeline(
  recorded: ReadonlyMap<string, readonly Bar[]>,
  timeZone: string,
): ReplayTimeline {
  const byDay = new Map<string, Set<number>>();
  for (const bars of recorded.values()) {
    for (const bar of bars) {
      const date = computeTradingDate(bar.ts, timeZone);
      let minutes = byDay.get(date);
      if (!minutes) byDay.set(date, (minutes = new Set()));
      minutes.add(computeLocalMinuteOfDay(bar.ts, timeZone));
    }
  }
  const days = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, minutes]) => ({ date, minutes: [...minutes].sort((a, b) => a - b) }));
  if (days.length === 0) throw new Error("the replay recording has no bars");
  const dayStarts: number[] = [];
  let length = 0;
  for (const day of days) {
    dayStarts.push(length);
    length += day.minutes.length;
  }
  return { timeZone, days, dayStarts, length };
}

type Slot = { loop: number; dayIndex: number; minute: number };

export function getSlot(tl: ReplayTimeline, position: number): Slot {
  const loop = Math.floor(position / tl.length);
  const within = position - loop * tl.length;
  let dayIndex = tl.dayStarts.length - 1;
  while (tl.dayStarts[dayIndex]! > within) dayIndex--;
  return { loop, dayIndex, minute: tl.days[dayIndex]!.minutes[within - tl.dayStarts[dayIndex]!]! };
}

/** Start of the recorded bar replayed at `position` (to look the bar up). */
export function getRecordedTimestamp(tl: ReplayTimeline, position: number): number {
  const { dayIndex, minute } = getSlot(tl, position);
  return computeZonedTimestamp(tl.days[dayIndex]!.date, minute, tl.timeZone);
}

/** The bar start the replay gives the bar at `position`: shifted to its replay day, same local time. */
export function getReplayTimestamp(tl: ReplayTimeline, anchorDate: string, position: number): number {
  const { loop, dayIndex, minute } = getSlot(tl, position);
  const date = addWeekdays(anchorDate, loop * tl.days.length + dayIndex);
  return computeZonedTimestamp(date, minute, tl.timeZone);
}

/** First position of the replay day before the one `position` is in (or 0): where a new symbol's backfill starts. */
export function getPreviousDayStart(tl: ReplayTimeline, position: number): number {
  const { loop, dayIndex } = getSlot(tl, position);
  const dayStart = loop * tl.length + tl.dayStarts[dayIndex]!;
  if (dayIndex > 0) return loop * tl.length + tl.dayStarts[dayIndex - 1]!;
  return loop > 0 ? (loop - 1) * tl.length + tl.dayStarts[tl.dayStarts.length - 1]! : dayStart;
}

/**
 * Where a replay starts the first time: the second recorded day is replayed today (the last weekday
 * when today is a weekend), the first one on the weekday before, so a previous close exists at once.
 * The position is today's minute of the session (its first minute before the open, its last after the
 * close), so at 1x speed during market hours the feed matches the wall clock.
 */
export function getInitialReplayClock(tl: ReplayTimeline, now: number): ReplayClock {
  let today = computeTradingDate(now, tl.timeZone);
  while (isWeekend(today)) today = addWeekdays(today, -1);
  const dayIndex = tl.days.length > 1 ? 1 : 0;
  const anchorDate = addWeekdays(today, -dayIndex);
  const minutes = tl.days[dayIndex]!.minutes;
  const nowMinute =
    computeTradingDate(now, tl.timeZone) === today ? computeLocalMinuteOfDay(now, tl.timeZone) : 24 * 60;
  let offset = minutes.findIndex((m) => m >= nowMinute);
  if (offset < 0) offset = minutes.length - 1;
  return { anchorDate, position: tl.dayStarts[dayIndex]! + offset };
}
