import { computePercentChange } from "@/lib/kpi/percent-change";
import { summarizeBars, type BarsSummary } from "@/lib/kpi/summarize-bars";
import type { Bar, DailyStat } from "@/lib/kpi/types";

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
  return computeDailyStatsFromSummary(symbol, tradeDate, summarizeBars(bars), prevClose);
}

/** {@link computeDailyStats} from the summary of the day's bars (the stream worker keeps it running). */
export function computeDailyStatsFromSummary(
  symbol: string,
  tradeDate: string,
  s: BarsSummary,
  prevClose: number | null,
): DailyStat {
  return {
    symbol,
    tradeDate,
    open: s.first.open,
    high: s.high,
    low: s.low,
    close: s.last.close,
    volume: s.volume,
    prevClose,
    changePct: computePercentChange(prevClose, s.last.close),
    range: s.high - s.low,
    rangePct: ((s.high - s.low) / s.low) * 100,
    vwap: s.vwap,
    barCount: s.count,
    firstTs: s.first.ts,
    lastTs: s.last.ts,
  };
}
