import type { TickV1 } from "@/lib/events/tick-v1";
import type { SeriesChanges } from "@/lib/kpi/symbol-series";

/** What one committed batch hands to the live updates: its changes and the ticks behind them. */
export type CommittedChanges = {
  changes: ReadonlyMap<string, SeriesChanges>;
  ticks: readonly Pick<TickV1, "symbol" | "producedAt">[];
};

export type LiveUpdatePublisherDeps = {
  /** Builds and sends the updates of (merged) committed changes; a rejection is reported, not retried. */
  publish: (committed: CommittedChanges) => Promise<void>;
  onError: (error: unknown) => void;
};

/**
 * Publishes live updates off the fetch path: a committed batch is queued and the consumer fetches its
 * next batch at once. One pass at a time, in commit order; the batches committed while a pass ran are
 * merged into the next pass (the newest row of each bar, day and window wins), so a backlog costs one
 * movers read per pass rather than one per batch, and an update never overtakes an older one of the
 * same symbol.
 */
export function createLiveUpdatePublisher(deps: LiveUpdatePublisherDeps) {
  let pending: CommittedChanges[] = [];
  let running: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batches = pending;
      pending = [];
      try {
        await deps.publish(mergeCommittedChanges(batches));
      } catch (error) {
        deps.onError(error);
      }
    }
    running = null;
  }

  return {
    /** Queues a committed batch's changes; a pass starts unless one is running (it takes them next). */
    enqueue(committed: CommittedChanges): void {
      if (committed.changes.size === 0) return;
      pending.push(committed);
      running ??= drain();
    },
    /** Resolves when every queued batch is published (or its pass failed). */
    async flush(): Promise<void> {
      while (running) await running;
    },
    /** Batches queued and not yet taken by a pass. */
    get queued(): number {
      return pending.length;
    },
  };
}

/**
 * Merges committed batches, oldest first, into one: per symbol the union of their bars, days and
 * windows, where a later batch's row of the same bar (ts), day (tradeDate) or window (length, start)
 * replaces the earlier one; each list stays in ascending order as applyRevisions returns it.
 */
export function mergeCommittedChanges(batches: readonly CommittedChanges[]): CommittedChanges {
  if (batches.length === 1) return batches[0]!;
  const merged = new Map<
    string,
    {
      bars: Map<number, SeriesChanges["bars"][number]>;
      days: Map<string, SeriesChanges["days"][number]>;
      windows: Map<string, SeriesChanges["windows"][number]>;
    }
  >();
  for (const { changes } of batches) {
    for (const [symbol, change] of changes) {
      let into = merged.get(symbol);
      if (!into) merged.set(symbol, (into = { bars: new Map(), days: new Map(), windows: new Map() }));
      for (const bar of change.bars) into.bars.set(bar.ts, bar);
      for (const day of change.days) into.days.set(day.tradeDate, day);
      for (const w of change.windows) into.windows.set(`${w.windowMinutes}:${w.windowStart}`, w);
    }
  }
  const changes = new Map<string, SeriesChanges>();
  for (const [symbol, { bars, days, windows }] of merged) {
    changes.set(symbol, {
      bars: [...bars.values()].sort((a, b) => a.ts - b.ts),
      days: [...days.values()].sort((a, b) =>
        a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : 0,
      ),
      windows: [...windows.values()].sort(
        (a, b) => a.windowStart - b.windowStart || a.windowMinutes - b.windowMinutes,
      ),
    });
  }
  return { changes, ticks: batches.flatMap((b) => b.ticks) };
}
