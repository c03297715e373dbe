import { MINUTE_MS } from "@/lib/kpi/durations";
import { computePercentChange } from "@/lib/kpi/percent-change";
import { summarizeBars, type BarsSummary } from "@/lib/kpi/summarize-bars";
import type { Bar, WindowKpi } from "@/lib/kpi/types";

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
  return computeWindowKpiFromSummary(symbol, windowMinutes, s);
}

/**
 * {@link computeWindowKpi} from the summary of the window's bars, for a caller that summed them itself
 * (the stream worker, over its packed bars) and so knows they share one window.
 */
export function computeWindowKpiFromSummary(
  symbol: string,
  windowMinutes: number,
  s: BarsSummary,
): WindowKpi {
  const windowStart = computeWindowStart(s.first.ts, windowMinutes);
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

/**
 * Whether `incoming` takes the place of `current` as the window of its length to show: when there is
 * no current window (or it has no start yet), or `incoming` starts at or after it. At an equal start
 * `incoming` is a later revision of the same window, so it wins; an older window never replaces a newer
 * one, whichever arrives last.
 */
export function shouldReplaceWindow(
  current: { windowStart: number | null } | null | undefined,
  incoming: { windowStart: number },
): boolean {
  return current?.windowStart == null || current.windowStart <= incoming.windowStart;
}

/** The window to show of `current` and a later-arriving `incoming` of the same length ({@link shouldReplaceWindow}). */
export function pickNewerWindow<T extends { windowStart: number }>(
  current: T | null | undefined,
  incoming: T,
): T {
  return current && !shouldReplaceWindow(current, incoming) ? current : incoming;
}

/**
 * The newest window of each length among `current` and then `incoming` (arrival order, so at an equal
 * start the later one wins), sorted by length.
 */
export function keepNewestWindowPerLength<T extends { windowMinutes: number; windowStart: number }>(
  current: readonly T[],
  incoming: readonly T[],
): T[] {
  const byLength = new Map<number, T>();
  for (const w of [...current, ...incoming])
    byLength.set(w.windowMinutes, pickNewerWindow(byLength.get(w.windowMinutes), w));
  return [...byLength.values()].sort((a, b) => a.windowMinutes - b.windowMinutes);
}
