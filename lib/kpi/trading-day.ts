import { getDateTimeFormat } from "@/lib/kpi/cached-format";
import { MINUTE_MS } from "@/lib/kpi/durations";

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  return getDateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
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

/** Minutes after local midnight of `ts` in `timeZone` (09:30 → 570). */
export function computeLocalMinuteOfDay(ts: number, timeZone: string): number {
  const formatter = getDateTimeFormat("en-US", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const parts = formatter.formatToParts(ts);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

/** UTC offset of `timeZone` at instant `ts`, in minutes (New York in summer → −240). */
export function computeUtcOffsetMinutes(ts: number, timeZone: string): number {
  const formatter = getDateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const parts = Object.fromEntries(formatter.formatToParts(ts).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - Math.floor(ts / 1000) * 1000) / MINUTE_MS);
}

/** The instant of local time `minuteOfDay` on `date` (`YYYY-MM-DD`) in `timeZone`. */
export function computeZonedTimestamp(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  // Two passes settle the offset on either side of a DST change.
  let ts = naive - computeUtcOffsetMinutes(naive, timeZone) * MINUTE_MS;
  ts = naive - computeUtcOffsetMinutes(ts, timeZone) * MINUTE_MS;
  return ts;
}

/** `date` moved by `days` weekdays (Saturday and Sunday skipped); negative moves back. */
export function addWeekdays(date: string, days: number): string {
  const t = new Date(`${date}T12:00:00Z`);
  const step = days >= 0 ? 1 : -1;
  let left = Math.abs(days);
  while (left > 0) {
    t.setUTCDate(t.getUTCDate() + step);
    const dow = t.getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return t.toISOString().slice(0, 10);
}

/** Whether `date` (`YYYY-MM-DD`) is a Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/**
 * The instants of trading day `date` (`YYYY-MM-DD`) in `timeZone`: from its local midnight to the next
 * local midnight, end exclusive. The day is the exchange's calendar day (as `computeTradingDate` assigns
 * bars to it), so it lasts 23 or 25 hours across a daylight saving change, and a New York day starts at
 * 04:00 or 05:00 UTC, not at midnight UTC.
 */
export function computeTradingDayWindow(date: string, timeZone: string): { start: number; end: number } {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return {
    start: computeZonedTimestamp(date, 0, timeZone),
    end: computeZonedTimestamp(next.toISOString().slice(0, 10), 0, timeZone),
  };
}
