import type { WatchlistUpdate } from "@/lib/events/api-market";
import { combineWatchlistTicks, type WatchlistTick } from "@/lib/kpi/watchlist-row";

export type WatchlistRelayDeps = {
  /** Sends one event to the `watchlist` room. */
  emit: (update: WatchlistUpdate) => void;
  /** Whether any page shows the watchlist; nothing is gathered while none does. */
  hasListeners: () => boolean;
  clock: () => number;
  /** At most one event per this many ms. */
  intervalMs: number;
  /** How long the first tick after a quiet spell waits for the rest of its commit (ms). */
  gatherMs: number;
};

export type WatchlistRelay = {
  add: (tick: WatchlistTick) => void;
  stop: () => void;
};

/**
 * Coalesces the symbols' ticks into `watchlist:updated` events: a page showing 500 symbols that each
 * update every second gets one event a second holding each changed symbol once (its ticks combined,
 * lib/kpi/watchlist-row.ts), rather than 500 events, and the rows that did not change are never sent.
 * The first tick after a quiet spell goes out `gatherMs` later (the other symbols of the same commit
 * arrive meanwhile), and then at most one event per `intervalMs`.
 */
export function createWatchlistRelay(deps: WatchlistRelayDeps): WatchlistRelay {
  let pending = new Map<string, WatchlistTick>();
  let timer: NodeJS.Timeout | null = null;
  let lastSentAt = -Infinity;

  function flush(): void {
    timer = null;
    const ticks = [...pending.values()];
    pending = new Map();
    if (ticks.length === 0 || !deps.hasListeners()) return;
    lastSentAt = deps.clock();
    deps.emit({ ticks, sentAt: lastSentAt });
  }

  return {
    add(tick) {
      if (!deps.hasListeners()) return;
      const held = pending.get(tick.symbol);
      pending.set(tick.symbol, held ? combineWatchlistTicks(held, tick) : tick);
      if (timer) return;
      const now = deps.clock();
      timer = setTimeout(flush, Math.max(deps.gatherMs, lastSentAt + deps.intervalMs - now));
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = new Map();
    },
  };
}
