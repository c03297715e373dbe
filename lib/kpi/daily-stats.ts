import { computePercentChange } from "@/lib/kpi/percent-change";
import type { Bar, DailyStat } from "@/lib/kpi/types";
import { addToVwap, computeVwap, EMPTY_VWAP_ACCUMULATOR } from "@/lib/kpi/vwap";

/**
 * Statistics of one symbol's trading day from all of that day's bars (any order, at least one).
 * `prevClose` is the close of the symbol's previous trading day that has bars, or null on its first
 * day, in which case change % is null.
 */
export function computeDailyStats(
  symbol: string,
  tradeDate: string,
  bars: readonly Bar[],
  prevClose: number | null,
): DailyStat {
  if (bars.length === 0) throw new Error("computeDailyStats needs at least one bar");
  const sorted = [...bars].sort((a, b) => a.ts - b.ts);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  let high = -Infinity;
  let low = Infinity;
  let acc = EMPTY_VWAP_ACCUMULATOR;
  for (const bar of sorted) {
    high = Math.max(high, bar.high);
    low = Math.min(low, bar.low);
    acc = addToVwap(acc, bar);
  }
  return {
    symbol,
    tradeDate,
    open: first.open,
    high,
    low,
    close: last.close,
    volume: acc.volume,
    prevClose,
    changePct: computePercentChange(prevClose, last.close),
    range: high - low,
    rangePct: ((high - low) / low) * 100,
    vwap: computeVwap(acc),
    barCount: sorted.length,
    firstTs: first.ts,
    lastTs: last.ts,
  };
}
