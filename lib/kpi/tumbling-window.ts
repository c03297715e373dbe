import { computePercentChange } from "@/lib/kpi/percent-change";
import { summarizeBars } from "@/lib/kpi/summarize-bars";
import type { Bar, WindowKpi } from "@/lib/kpi/types";

const MINUTE_MS = 60_000;

/**
 * Start of the tumbling window of `windowMinutes` that contains `ts`. Windows are aligned to the Unix
 * epoch (a 60-minute window is a clock hour in UTC), the convention of Kafka Streams and Flink.
 */
export function computeWindowStart(ts: number, windowMinutes: number): number {
  const size = windowMinutes * MINUTE_MS;
  return Math.floor(ts / size) * size;
}

/** End of the tumbling window of `windowMinutes` that starts at `windowStart` (exclusive). */
export function computeWindowEnd(windowStart: number, windowMinutes: number): number {
  return windowStart + windowMinutes * MINUTE_MS;
}

/**
 * KPIs of one window from its bars (any order, at least one bar; revisions already resolved).
 * avg_price is the mean of closes; gain_pct = (last close − first open) / first open × 100.
 */
export function computeWindowKpi(symbol: string, windowMinutes: number, bars: readonly Bar[]): WindowKpi {
  const s = summarizeBars(bars);
  const windowStart = computeWindowStart(s.first.ts, windowMinutes);
  const outside = bars.find((bar) => computeWindowStart(bar.ts, windowMinutes) !== windowStart);
  if (outside)
    throw new Error(`bar ${outside.ts} is not in the ${windowMinutes}-minute window starting ${windowStart}`);
  return {
    symbol,
    windowMinutes,
    windowStart,
    windowEnd: computeWindowEnd(windowStart, windowMinutes),
    avgPrice: s.closeSum / s.count,
    vwap: s.vwap,
    totalVolume: s.volume,
    // Prices are positive (the tick schema says so), so the first open is never 0.
    gainPct: computePercentChange(s.first.open, s.last.close) ?? 0,
    firstOpen: s.first.open,
    lastClose: s.last.close,
    high: s.high,
    low: s.low,
    barCount: s.count,
  };
}
