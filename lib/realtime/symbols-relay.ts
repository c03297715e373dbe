import type { SymbolSummary } from "@/lib/events/api-market";
import { symbolSchema } from "@/lib/events/symbol";
import type { SymbolChange, SymbolsChanged, SymbolsDelta } from "@/lib/events/symbols-changed";
import { SYMBOLS_DELTA_MAX_CHANGES } from "@/lib/events/symbols-changed";
import { describeError, type Logger } from "@/lib/log";

export type SymbolsRelayDeps = {
  /** The current summaries of these symbols, read from PostgreSQL; a symbol without a row is absent. */
  readSummaries: (symbols: readonly string[]) => Promise<SymbolSummary[]>;
  /** Sends one coalesced event to every page (attachRealtime's emitSymbolsChanged). */
  emit: (delta: SymbolsDelta) => void;
  logger: Logger;
  /** How long hints are gathered before one event goes out (ms). */
  intervalMs: number;
  /** More distinct symbols than this in one interval make a reload hint instead of a list of changes. */
  maxChanges?: number;
};

export type SymbolsRelay = {
  /** Takes a `symbols_changed` notification (already parsed with its schema) as a hint. */
  notify: (hint: SymbolsChanged) => void;
  /** Any symbol may have changed unseen (the listener reconnected): pages reload what they show. */
  invalidateAll: () => void;
  /** Cancels the pending interval and waits for an event being built. */
  stop: () => Promise<void>;
};

/**
 * Turns `symbols_changed` notifications into `symbols:changed` events. The notification is untrusted
 * (any role allowed to NOTIFY can send one) and says only which symbol changed, so each event carries
 * what PostgreSQL holds when it is built, re-read for the symbols named. A flood (thousands of new
 * symbols a second) must not flood the browsers: hints are gathered for `intervalMs` and go out as one
 * event, and past `maxChanges` symbols as one reload hint, on which each page re-reads only the page
 * of symbols it shows.
 */
export function createSymbolsRelay(deps: SymbolsRelayDeps): SymbolsRelay {
  const { logger, intervalMs } = deps;
  const maxChanges = Math.min(deps.maxChanges ?? SYMBOLS_DELTA_MAX_CHANGES, SYMBOLS_DELTA_MAX_CHANGES);
  /** Symbol → whether any hint of the interval said it was inserted. */
  let pending = new Map<string, boolean>();
  let isOverflowing = false;
  let timer: NodeJS.Timeout | null = null;
  let isStopped = false;
  // Events go out in the order their intervals closed: each waits for the previous one's read.
  let chain: Promise<void> = Promise.resolve();

  async function buildDelta(batch: Map<string, boolean>): Promise<SymbolsDelta> {
    const list = [...batch.keys()];
    const found = new Map((await deps.readSummaries(list)).map((s) => [s.symbol, s]));
    const changes = list.map((symbol): SymbolChange => {
      const summary = found.get(symbol);
      if (!summary) return { op: "deleted", symbol };
      return { op: batch.get(symbol) ? "added" : "updated", summary };
    });
    return { changes, isReloadNeeded: false };
  }

  async function flush(): Promise<void> {
    const batch = pending;
    const isReloadNeeded = isOverflowing;
    pending = new Map();
    isOverflowing = false;
    if (isReloadNeeded) return deps.emit({ changes: [], isReloadNeeded: true });
    if (batch.size === 0) return;
    let delta: SymbolsDelta;
    try {
      delta = await buildDelta(batch);
    } catch (error) {
      // The changes cannot be described; pages re-read their page (and keep what they show if that fails too).
      logger.warn({ err: describeError(error), symbols: batch.size }, "re-reading changed symbols failed");
      delta = { changes: [], isReloadNeeded: true };
    }
    deps.emit(delta);
  }

  function schedule(): void {
    if (timer || isStopped) return;
    timer = setTimeout(() => {
      timer = null;
      chain = chain.then(flush).catch((error: unknown) => {
        logger.error({ err: describeError(error) }, "sending symbols:changed failed");
      });
    }, intervalMs);
  }

  return {
    notify(hint) {
      const symbol = symbolSchema.safeParse(hint.symbol);
      if (!symbol.success) {
        logger.warn({ symbol: hint.symbol.slice(0, 32) }, "symbols_changed names no valid symbol; ignored");
        return;
      }
      if (!isOverflowing) {
        pending.set(symbol.data, (pending.get(symbol.data) ?? false) || hint.op === "INSERT");
        if (pending.size > maxChanges) {
          isOverflowing = true;
          pending = new Map();
        }
      }
      schedule();
    },
    invalidateAll() {
      isOverflowing = true;
      pending = new Map();
      schedule();
    },
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
  };
}
