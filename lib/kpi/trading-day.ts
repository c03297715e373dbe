import { TZDate } from "@date-fns/tz";

import { getDateTimeFormat } from "@/lib/kpi/cached-format";
import { MINUTE_MS } from "@/lib/kpi/durations";

// By time zone, in front of the shared cache (whose key is built from the options on every call).
const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = getDateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * The trading day (`YYYY-MM-DD`) of a bar in its exchange's time zone: a US bar at 2026-03-13 01:00 UTC
 * belongs to 2026-03-12 in America/New_York.
 */
export function computeTradingDate(ts: number, timeZone: string): string {
  // Every UTC offset in use is a multiple of 15 minutes, so the date is constant within a 15-minute
  // bucket: format once per bucket instead of once per bar.
  const bucket = Math.floor(ts / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  let date = dateCache.get(key);
  if (date === undefined) {
    if (dateCache.size > 50_000) dateCache.clear();
    date = getFormatter(timeZone).format(bucket * BUCKET_MS);
    dateCache.set(key, date);
  }
  return date;
}

const BUCKET_MS = 15 * MINUTE_MS;
const dateCache = new Map<string, string>();

/**
 * The instant of local time `minuteOfDay` on `date` (`YYYY-MM-DD`) in `timeZone`. A local time that
 * does not exist (the hour skipped when clocks spring forward) moves forward by the gap (02:30 → 03:30
 * EDT); one that exists twice (the hour repeated when they fall back) is its first occurrence (EDT).
 */
export function computeZonedTimestamp(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = parseDate(date);
  return new TZDate(y, m - 1, d, 0, minuteOfDay, timeZone).getTime();
}

function parseDate(date: string): [number, number, number] {
  const [y = NaN, m = NaN, d = NaN] = date.split("-").map(Number);
  return [y, m, d];
}

/**
 * The instants of trading day `date` (`YYYY-MM-DD`) in `timeZone`: from its local midnight to the next
 * local midnight, end exclusive. The day is the exchange's calendar day (as `computeTradingDate` assigns
 * bars to it), so it lasts 23 or 25 hours across a daylight saving change, and a New York day starts at
 * 04:00 or 05:00 UTC, not at midnight UTC.
 */
export function computeTradingDayWindow(date: string, timeZone: string): { start: number; end: number } {
  const [y, m, d] = parseDate(date);
  return {
    start: new TZDate(y, m - 1, d, timeZone).getTime(),
    end: new TZDate(y, m - 1, d + 1, timeZone).getTime(),
  };
}

/**
 * The index of the first bar of the trading day that bar `index` belongs to, over bars in time order
 * read through `tradeDateAt` (objects or packed columns alike): where a day's totals start, and the bar
 * before it (when any) is the previous day's close.
 */
export function findDayStart(tradeDateAt: (i: number) => string, index: number): number {
  const tradeDate = tradeDateAt(index);
  let start = index;
  while (start > 0 && tradeDateAt(start - 1) === tradeDate) start--;
  return start;
}
