import type { ProducedRange } from "@/lib/events/produced-at-headers";
import type { SeriesChanges } from "@/lib/kpi/symbol-series";
import { createThrottledPass } from "@/lib/throttled-pass";
import {
  addTouchedRankings,
  createTouchedRankings,
  type TouchedRankings,
} from "@/workers/handlers/kpi-updates";

export type MoversPublisherDeps = {
  /** Least time between the starts of two passes. */
  intervalMs: number;
  /** Reads and sends the rankings touched since the last pass; a rejection is reported, not retried. */
  publish: (touched: TouchedRankings) => Promise<void>;
  onError: (error: unknown) => void;
};

/**
 * Publishes the movers rankings that committed batches touched, at most once per `intervalMs`: a
 * ranking is read back from PostgreSQL over every symbol of its window (thousands of rows), so reading
 * it after each batch cost more than the batch itself at a steady rate. The first touch after a quiet
 * spell is published at once; touches during the interval are merged into one trailing pass.
 */
export function createMoversPublisher(deps: MoversPublisherDeps) {
  let touched = createTouchedRankings();
  const passes = createThrottledPass({
    intervalMs: deps.intervalMs,
    hasWork: () => touched.windows.size > 0 || touched.tradeDates.size > 0,
    pass: () => {
      const taken = touched;
      touched = createTouchedRankings();
      return deps.publish(taken);
    },
    onError: deps.onError,
  });
  return {
    /** Records the rankings a committed batch touched; a pass follows within `intervalMs`. */
    touch(changes: ReadonlyMap<string, SeriesChanges>, produced: ProducedRange | null): void {
      addTouchedRankings(touched, changes, produced);
      passes.kick();
    },
    /** Publishes what is touched now; resolves when no pass is left. */
    flush: () => passes.flush(),
  };
}
