/**
 * Series math of the price chart, over plain values: where sessions break on an index-based x axis,
 * where its time labels go, a volume scale that outliers cannot flatten, and the % normalisation of
 * compared symbols.
 */

import { getDateTimeFormat } from "@/lib/kpi/cached-format";

/** One session break: the index of the first bar of a trading day that follows another day. */
export type SessionBreak = { index: number; tradeDate: string };

/**
 * The first index of every trading day after the first one. On an x axis that counts bars, the night
 * takes no room, so these indexes are where the chart must mark the jump between sessions.
 */
export function listSessionBreaks(bars: readonly { tradeDate: string }[]): SessionBreak[] {
  const breaks: SessionBreak[] = [];
  for (let i = 1; i < bars.length; i++) {
    const tradeDate = bars[i]!.tradeDate;
    if (tradeDate !== bars[i - 1]!.tradeDate) breaks.push({ index: i, tradeDate });
  }
  return breaks;
}

/** Quantile (0–1) of sorted values, linearly interpolated; NaN when empty. */
export function computeQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The volume axis's top: the 95th percentile with 50% headroom (see computeVolumeCap). */
export const VOLUME_CAP_QUANTILE = 0.95;
export const VOLUME_CAP_HEADROOM = 1.5;

/**
 * The top of a volume axis that stays readable with outliers: the 95th percentile × 1.5, or the
 * largest volume when that is lower (nothing to clip). One aggregated-volume spike (3.97 M between
 * bars of 25 k in the recorded data) would otherwise squash every other bar to a pixel. Bars above the
 * cap are drawn at the cap and marked as clipped. 0 when there is no volume at all (an empty or
 * zero-volume series), which callers treat as "no scale".
 */
export function computeVolumeCap(volumes: readonly number[]): number {
  const finite = volumes.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  const max = finite[finite.length - 1] ?? 0;
  if (max === 0) return 0;
  const robust = computeQuantile(finite, VOLUME_CAP_QUANTILE) * VOLUME_CAP_HEADROOM;
  // A series whose 95% is zero (a few trades in a quiet hour) keeps its largest bar as the top.
  return robust > 0 ? Math.min(max, robust) : max;
}

/**
 * Values as % change from the first usable value of the range (finite, non-zero): a symbol without a
 * bar at the range's first instant starts from its first bar instead, at 0%. Nulls stay null (no bar
 * at that instant); all null when the series has no usable value.
 */
export function normalizeToPercent(values: readonly (number | null)[]): (number | null)[] {
  const base = values.find((v): v is number => v !== null && Number.isFinite(v) && v !== 0);
  if (base === undefined) return values.map(() => null);
  return values.map((v) => (v === null || !Number.isFinite(v) ? null : ((v - base) / Math.abs(base)) * 100));
}

/**
 * Another symbol's closes on this chart's bar times: the close of its bar at each `ts`, or of its
 * latest bar before it (a minute without a trade keeps the last price); null before its first bar.
 * Both inputs sorted by ts.
 */
export function alignCloses(
  ts: readonly number[],
  bars: readonly { ts: number; close: number }[],
): (number | null)[] {
  const out: (number | null)[] = [];
  let j = 0;
  let last: number | null = null;
  for (const t of ts) {
    while (j < bars.length && bars[j]!.ts <= t) last = bars[j++]!.close;
    out.push(last);
  }
  return out;
}

/**
 * Axis ticks at "nice" values (1, 2, 2.5 or 5 × a power of ten) inside [lo, hi], about `count` of them,
 * as analysts expect to read a price or % axis (100.50, 101.00, … rather than 99.69, 100.64, …). The step
 * is the smallest nice one that gives at most `count` + 1 ticks. Empty for an empty or invalid range.
 */
export function computeNiceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo || count < 1) return [];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => (hi - lo) / s <= count + 1) ?? 10 * power;
  // Rounded to the step's decimals, so that 0.1 + 0.2 never shows as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toFixed(decimals)));
  return ticks;
}

/** Wall-clock steps of the time axis, in minutes (each divides a day). */
const TIME_TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720];

/** The local date and minute of day of `ts` in `timeZone`. */
function toWallClock(ts: number, timeZone: string): { date: string; minute: number } {
  const parts = getDateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(ts);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    minute: Number(part("hour")) * 60 + Number(part("minute")),
  };
}

/**
 * Where the time labels of an x axis that counts bars go (`i` of the points, which are in order): at
 * the first bar of each wall-clock step in `timeZone` (every hour, every 15 minutes, …), the finest step
 * that gives at most `maxTicks` labels, as trading charts label their axes (10:00, 11:00, … rather than
 * the times of evenly spaced bars, 05:48, 11:40, …). A bar starts a step when the step it falls in
 * differs from its predecessor's (so a session that opens at 09:30 is labelled from 10:00 on an hourly
 * axis, and the first bar only when it sits on a step); when even twelve hours give too many, the first
 * bar of every n-th day.
 */
export function computeTimeTicks(
  points: readonly { i: number; ts: number }[],
  timeZone: string,
  maxTicks = 6,
): number[] {
  if (points.length === 0 || maxTicks < 1) return [];
  const clocks = points.map((p) => toWallClock(p.ts, timeZone));
  for (const step of TIME_TICK_STEPS) {
    const ticks: number[] = [];
    for (let k = 0; k < points.length && ticks.length <= maxTicks; k++) {
      const { date, minute } = clocks[k]!;
      const bucket = Math.floor(minute / step);
      const before = clocks[k - 1];
      const starts = before
        ? before.date !== date || Math.floor(before.minute / step) !== bucket
        : minute % step === 0;
      if (starts) ticks.push(points[k]!.i);
    }
    if (ticks.length > 0 && ticks.length <= maxTicks) return ticks;
  }
  const dayStarts = points.filter((p, k) => k > 0 && clocks[k - 1]!.date !== clocks[k]!.date).map((p) => p.i);
  const every = Math.max(1, Math.ceil(dayStarts.length / maxTicks));
  const ticks = dayStarts.filter((_, k) => k % every === 0);
  return ticks.length > 0 ? ticks : [points[0]!.i];
}
