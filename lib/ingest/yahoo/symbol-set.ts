import type { DriverDeps } from "@/lib/ingest/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import { createChartCursor, type ChartCursor } from "@/lib/ingest/yahoo/chart-cursor";
import type { YahooQuoteInfo } from "@/lib/ingest/yahoo/quotes";
import { toMarketState, type SymbolTiming } from "@/lib/ingest/yahoo/schedule";
import { describeError } from "@/lib/log";

/** One symbol the Yahoo source follows. */
export type YahooSymbolState = Omit<SymbolTiming, "isCaughtUp"> & {
  info: IngestSymbol;
  /** pending: its durable cursor is not read yet; invalid: Yahoo does not know it. */
  phase: "pending" | "ready" | "invalid";
  cursor: ChartCursor | null;
  nextPollAt: number;
  /** Consecutive failed polls of this symbol. */
  failures: number;
  /** undefined until the first report, so a stale error from an earlier process gets cleared. */
  reportedError: string | null | undefined;
};

type SymbolSetDeps = Pick<DriverDeps, "clock" | "logger" | "getCursor" | "reportStatus" | "markInvalid">;

/**
 * The symbols the Yahoo source follows, with what it reports about them: market state and last error
 * only when they change, invalid at most once, and nothing about a symbol removed meanwhile.
 */
export function createYahooSymbolSet(deps: SymbolSetDeps, backfillDays: number) {
  const tracked = new Map<string, YahooSymbolState>();
  const produced: Record<string, number> = {};
  const lastSuccess: Record<string, number> = {};
  // A symbol removed while its request was in flight is no longer ours to report on.
  const isTracked = (t: YahooSymbolState) => tracked.get(t.info.symbol) === t;
  const list = () => [...tracked.values()];

  return {
    list,
    listReady: () => list().filter((t) => t.phase === "ready"),
    get: (symbol: string) => tracked.get(symbol),

    /** Follows exactly `symbols` from now on; returns true when one of them is new. */
    replace(symbols: readonly IngestSymbol[]): boolean {
      const wanted = new Set(symbols.map((s) => s.symbol));
      for (const symbol of tracked.keys()) if (!wanted.has(symbol)) tracked.delete(symbol);
      let isAdded = false;
      for (const info of symbols) {
        const known = tracked.get(info.symbol);
        if (known) known.info = info;
        else {
          tracked.set(info.symbol, createSymbolState(info));
          isAdded = true;
        }
      }
      return isAdded;
    },

    /** Reads the durable cursor of every pending symbol; one that fails stays pending for the next try. */
    async loadPending(): Promise<void> {
      const pending = list().filter((t) => t.phase === "pending");
      await Promise.all(
        pending.map(async (t) => {
          try {
            const durable = await deps.getCursor(t.info.symbol);
            if (!isTracked(t)) return;
            t.cursor = createChartCursor(durable, deps.clock(), backfillDays);
            t.phase = "ready";
            t.nextPollAt = deps.clock();
            produced[t.info.symbol] ??= 0;
          } catch (error) {
            const err = describeError(error);
            deps.logger.warn(
              { symbol: t.info.symbol, err },
              "could not read the symbol's cursor; will retry",
            );
          }
        }),
      );
    },

    setLastError(t: YahooSymbolState, lastError: string | null): void {
      if (t.reportedError === lastError || !isTracked(t)) return;
      t.reportedError = lastError;
      deps.reportStatus(t.info.symbol, { lastError });
    },

    markInvalid(t: YahooSymbolState, reason: string): void {
      if (t.phase === "invalid" || !isTracked(t)) return;
      t.phase = "invalid";
      deps.logger.warn(
        { symbol: t.info.symbol, reason },
        "yahoo does not know this symbol; marking it invalid",
      );
      deps.markInvalid(t.info.symbol, reason);
    },

    applyQuote(t: YahooSymbolState, quote: YahooQuoteInfo, now: number): void {
      t.quoteTime = quote.regularMarketTime;
      const state = toMarketState(quote.marketState);
      if (!state || state === t.marketState) return;
      if (state === "open") t.nextPollAt = Math.min(t.nextPollAt, now); // the session just started
      t.marketState = state;
      if (isTracked(t)) deps.reportStatus(t.info.symbol, { marketState: state });
    },

    recordPolled(t: YahooSymbolState, published: number): void {
      produced[t.info.symbol] = (produced[t.info.symbol] ?? 0) + published;
      lastSuccess[t.info.symbol] = deps.clock();
    },

    snapshot: () => ({
      symbols: tracked.size,
      produced: { ...produced },
      lastSuccess: { ...lastSuccess },
      marketState: Object.fromEntries(list().map((t) => [t.info.symbol, t.marketState])),
      invalid: list()
        .filter((t) => t.phase === "invalid")
        .map((t) => t.info.symbol),
    }),
  };
}

function createSymbolState(info: IngestSymbol): YahooSymbolState {
  return {
    info,
    phase: "pending",
    cursor: null,
    nextPollAt: 0,
    failures: 0,
    reportedError: undefined,
    marketState: null,
    quoteTime: null,
    fetchedQuoteTime: null,
    nextOpenAt: null,
  };
}
