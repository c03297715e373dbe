import type { Bar } from "@/lib/kpi/types";
import { addToVwap, computeVwap, EMPTY_VWAP_ACCUMULATOR } from "@/lib/kpi/vwap";

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
  const sorted = [...bars].sort((a, b) => a.ts - b.ts);
  let high = -Infinity;
  let low = Infinity;
  let closeSum = 0;
  let acc = EMPTY_VWAP_ACCUMULATOR;
  for (const bar of sorted) {
    high = Math.max(high, bar.high);
    low = Math.min(low, bar.low);
    closeSum += bar.close;
    acc = addToVwap(acc, bar);
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
