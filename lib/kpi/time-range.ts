import { MINUTE_MS } from "@/lib/kpi/durations";
import type { FactBar } from "@/lib/kpi/types";

/** Chart ranges, relative to the symbol's newest bar (data time, so replays and closed markets work). */
export const TIME_RANGES = ["1h", "session", "5d"] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const TIME_RANGE_LABELS: Record<TimeRange, string> = {
  "1h": "Last hour",
  session: "Today's session",
  "5d": "Last 5 days",
};

/** Trading days `range` covers; 0 for `1h`, which counts minutes instead. */
export function countRangeTradingDays(range: TimeRange): number {
  return range === "1h" ? 0 : range === "session" ? 1 : 5;
}

/**
 * Time of the first bar of `range` when the symbol's newest bar is at `newestTs`: 59 minutes earlier
 * for `1h` (60 bars with the newest), otherwise the first bar of the oldest of the newest trading days.
 * `dayFirstTs` holds the first bar time of each of those days (the newest `countRangeTradingDays`
 * days, any order; fewer when the symbol has fewer); without any, the range starts at the newest bar.
 */
export function computeRangeStart(range: TimeRange, newestTs: number, dayFirstTs: readonly number[]): number {
  if (range === "1h") return newestTs - 59 * MINUTE_MS;
  return dayFirstTs.length > 0 ? Math.min(...dayFirstTs) : newestTs;
}

/**
 * Keeps the bars of `range` ending at the newest bar (see `computeRangeStart`). Input sorted by ts;
 * output too.
 */
export function clipToRange<T extends Pick<FactBar, "ts" | "tradeDate">>(
  bars: readonly T[],
  range: TimeRange,
): T[] {
  const last = bars[bars.length - 1];
  if (!last) return bars as T[];
  const days = countRangeTradingDays(range);
  const dayFirstTs: number[] = [];
  let date: string | undefined;
  for (let i = bars.length - 1; i >= 0; i--) {
    const bar = bars[i]!;
    if (bar.tradeDate === date) dayFirstTs[dayFirstTs.length - 1] = bar.ts;
    else if (dayFirstTs.length === days) break;
    else {
      date = bar.tradeDate;
      dayFirstTs.push(bar.ts);
    }
  }
  const from = computeRangeStart(range, last.ts, dayFirstTs);
  // Sorted input: when the first bar is kept, every bar is, and the array keeps its identity.
  return bars[0]!.ts >= from ? (bars as T[]) : bars.filter((b) => b.ts >= from);
}
