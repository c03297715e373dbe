import { clipToRange, type TimeRange } from "@/lib/kpi/time-range";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";

/** Everything the dashboard shows of one symbol. */
export type SymbolView = {
  bars: FactBar[];
  /** The newest trading day. */
  day: DailyStat | null;
  /** The newest window of each length, shortest first. */
  windows: WindowKpi[];
  /** The last trading days, oldest first. */
  days: DailyStat[];
};

/**
 * The view of a symbol from its three reads (prices of `range`, snapshot, daily history). The server's
 * first render (app/_data/market.ts getSymbolView) and the browser's reloads (useLiveSymbol) both build
 * it here, so the page shows the same bars whichever built it. Not a client module: the server calls it.
 */
export function composeSymbolView(
  reads: {
    bars: readonly FactBar[];
    snapshot: { day: DailyStat | null; windows: WindowKpi[] };
    days: DailyStat[];
  },
  range: TimeRange,
): SymbolView {
  return {
    bars: clipToRange(reads.bars, range),
    day: reads.snapshot.day,
    windows: reads.snapshot.windows,
    days: reads.days,
  };
}
