import { computePercentChange } from "@/lib/kpi/percent-change";
import type { Bar, WindowKpi } from "@/lib/kpi/types";
import { addToVwap, computeVwap, EMPTY_VWAP_ACCUMULATOR } from "@/lib/kpi/vwap";

const MINUTE_MS = 60_000;

/**
 * Start of the tumbling window of `windowMinutes` that contains `ts`. Windows are aligned to the Unix
 * epoch (a 60-minute window is a clock hour in UTC), the convention of Kafka Streams and Flink.
 */
export function computeWindowStart(ts: number, windowMinutes: number): number {
  const size = windowMinutes * MINUTE_MS;
  return Math.floor(ts / size) * size;
}

/**
 * KPIs of one window from its bars (any order, at least one bar; revisions already resolved).
 * avg_price is the mean of closes; gain_pct = (last close − first open) / first open × 100.
 */
export function computeWindowKpi(symbol: string, windowMinutes: number, bars: readonly Bar[]): WindowKpi {
  if (bars.length === 0) throw new Error("computeWindowKpi needs at least one bar");
  const sorted = [...bars].sort((a, b) => a.ts - b.ts);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const windowStart = computeWindowStart(first.ts, windowMinutes);
  let closeSum = 0;
  let high = -Infinity;
  let low = Infinity;
  let acc = EMPTY_VWAP_ACCUMULATOR;
  for (const bar of sorted) {
    if (computeWindowStart(bar.ts, windowMinutes) !== windowStart) {
      throw new Error(`bar ${bar.ts} is not in the ${windowMinutes}-minute window starting ${windowStart}`);
    }
    closeSum += bar.close;
    high = Math.max(high, bar.high);
    low = Math.min(low, bar.low);
    acc = addToVwap(acc, bar);
  }
  return {
    symbol,
    windowMinutes,
    windowStart,
    windowEnd: windowStart + windowMinutes * MINUTE_MS,
    avgPrice: closeSum / sorted.length,
    vwap: computeVwap(acc),
    totalVolume: acc.volume,
    gainPct: computePercentChange(first.open, last.close) ?? 0,
    firstOpen: first.open,
    lastClose: last.close,
    high,
    low,
    barCount: sorted.length,
  };
}
