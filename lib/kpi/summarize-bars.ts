import type { Bar } from "@/lib/kpi/types";
import { accumulateVwap, computeVwap, EMPTY_VWAP_ACCUMULATOR } from "@/lib/kpi/vwap";

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
 * The aggregates a day or a window is made of, over bars in any order (at least one): first and last
 * bar by time, extremes, volume, sum of closes and VWAP.
 */
export function summarizeBars(bars: readonly Bar[]): BarsSummary {
  if (bars.length === 0) throw new Error("summarizeBars needs at least one bar");
  // The series hands its days and windows over in order: copied and sorted only when they are not.
  const sorted = isSortedByTs(bars) ? bars : [...bars].sort((a, b) => a.ts - b.ts);
  let high = -Infinity;
  let low = Infinity;
  let closeSum = 0;
  const acc = { ...EMPTY_VWAP_ACCUMULATOR };
  for (const bar of sorted) {
    high = Math.max(high, bar.high);
    low = Math.min(low, bar.low);
    closeSum += bar.close;
    accumulateVwap(acc, bar);
  }
  return {
    first: sorted[0]!,
    last: sorted[sorted.length - 1]!,
    high,
    low,
    volume: acc.volume,
    closeSum,
    vwap: computeVwap(acc),
    count: sorted.length,
  };
}

function isSortedByTs(bars: readonly Bar[]): boolean {
  for (let i = 1; i < bars.length; i++) if (bars[i - 1]!.ts > bars[i]!.ts) return false;
  return true;
}
