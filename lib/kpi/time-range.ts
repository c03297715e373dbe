import type { FactBar } from "@/lib/kpi/types";

/** Chart ranges, relative to the symbol's newest bar (data time, so replays and closed markets work). */
export const TIME_RANGES = ["1h", "session", "5d"] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const TIME_RANGE_LABELS: Record<TimeRange, string> = {
  "1h": "Last hour",
  session: "Today's session",
  "5d": "Last 5 days",
};

/**
 * Keeps the bars of `range` ending at the newest bar: the last 60 minutes, the newest trading day,
 * or the newest 5 trading days. Input sorted by ts; output too.
 */
export function clipToRange<T extends Pick<FactBar, "ts" | "tradeDate">>(
  bars: readonly T[],
  range: TimeRange,
): T[] {
  const last = bars[bars.length - 1];
  if (!last) return bars as T[];
  const keepFrom = (predicate: (b: T) => boolean): T[] =>
    predicate(bars[0]!) ? (bars as T[]) : bars.filter(predicate);
  if (range === "1h") {
    const from = last.ts - 59 * 60_000;
    return keepFrom((b) => b.ts >= from);
  }
  const days = range === "session" ? 1 : 5;
  const dates: string[] = [];
  for (let i = bars.length - 1; i >= 0 && dates.length <= days; i--) {
    const d = bars[i]!.tradeDate;
    if (dates[dates.length - 1] !== d) dates.push(d);
  }
  const oldest = dates.slice(0, days).pop()!;
  // Sorted input: when the first bar is kept, every bar is, and the array keeps its identity.
  return keepFrom((b) => b.tradeDate >= oldest);
}
