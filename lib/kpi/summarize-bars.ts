import { copyBarInto, toBar } from "@/lib/kpi/bar";
import type { Bar } from "@/lib/kpi/types";
import { accumulateVwap, computeVwap, EMPTY_VWAP_ACCUMULATOR, type VwapAccumulator } from "@/lib/kpi/vwap";

export type BarsSummary = {
  first: Bar;
  last: Bar;
  high: number;
  low: number;
  volume: number;
  closeSum: number;
  /** Σ typical·volume / Σ volume; null when nothing traded. */
  vwap: number | null;
  count: number;
};

/**
 * The totals of {@link summarizeBars} while bars are added one by one in time order: the stream worker
 * keeps one for the part of a day it has already summed, so a batch that appends to the day adds only
 * its new bars. Adding the same bars in the same order gives the same numbers bit for bit as
 * summarizing them at once.
 */
export type RunningSummary = {
  first: Bar | null;
  last: Bar | null;
  high: number;
  low: number;
  closeSum: number;
  vwap: VwapAccumulator;
  count: number;
};

export function createRunningSummary(): RunningSummary {
  return {
    first: null,
    last: null,
    high: -Infinity,
    low: Infinity,
    closeSum: 0,
    vwap: { ...EMPTY_VWAP_ACCUMULATOR },
    count: 0,
  };
}

export function copyRunningSummary(s: RunningSummary): RunningSummary {
  return {
    ...s,
    first: s.first && toBar(s.first),
    last: s.last && toBar(s.last),
    vwap: { ...s.vwap },
  };
}

/**
 * Adds the next bar in time order, in place. The summary keeps copies of its first and last bars, never
 * `bar` itself, so a caller may pass one scratch object refilled for every bar.
 */
export function addToSummary(s: RunningSummary, bar: Bar): void {
  if (s.first === null || s.last === null) {
    s.first = toBar(bar);
    s.last = toBar(bar);
  } else {
    copyBarInto(s.last, bar);
  }
  s.high = Math.max(s.high, bar.high);
  s.low = Math.min(s.low, bar.low);
  s.closeSum += bar.close;
  accumulateVwap(s.vwap, bar);
  s.count++;
}

/** The summary of the bars added so far (at least one). */
export function finishSummary(s: RunningSummary): BarsSummary {
  if (!s.first || !s.last) throw new Error("a summary needs at least one bar");
  return {
    first: s.first,
    last: toBar(s.last),
    high: s.high,
    low: s.low,
    volume: s.vwap.volume,
    closeSum: s.closeSum,
    vwap: computeVwap(s.vwap),
    count: s.count,
  };
}

/**
 * The aggregates a day or a window is made of, over bars in any order (at least one): first and last
 * bar by time, extremes, volume, sum of closes and VWAP.
 */
export function summarizeBars(bars: readonly Bar[]): BarsSummary {
  if (bars.length === 0) throw new Error("summarizeBars needs at least one bar");
  // The series hands its days and windows over in order: copied and sorted only when they are not.
  const sorted = isSortedByTs(bars) ? bars : [...bars].sort((a, b) => a.ts - b.ts);
  const s = createRunningSummary();
  for (const bar of sorted) addToSummary(s, bar);
  return finishSummary(s);
}

function isSortedByTs(bars: readonly Bar[]): boolean {
  for (let i = 1; i < bars.length; i++) if (bars[i - 1]!.ts > bars[i]!.ts) return false;
  return true;
}
