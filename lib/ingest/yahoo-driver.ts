import type { DriverDeps, SourceDriver } from "@/lib/ingest/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";

export type YahooDriverOptions = {
  deps: DriverDeps;
  /** Seconds between polls of an open market (a symbol's own poll interval wins when longer). */
  pollSeconds: number;
  /** Most Yahoo requests in flight (yahoo-finance2's request queue). */
  concurrency: number;
  /** Days of 1-minute history to backfill on first sight (0: the current session only; at most 29). */
  backfillDays: number;
  /** HTTP fetch for yahoo-finance2 (tests serve recorded responses through it). */
  fetch?: typeof fetch;
};

/** Live Yahoo Finance source. */
export function createYahooDriver(options: YahooDriverOptions): SourceDriver {
  let symbols: readonly IngestSymbol[] = [];
  return {
    source: "yahoo",
    setSymbols: (list) => {
      symbols = list;
      for (const s of list) options.deps.reportStatus(s.symbol, { lastError: "the yahoo source is not available in this build" });
    },
    start: async () => undefined,
    stop: async () => undefined,
    metrics: () => ({ symbols: symbols.length }),
  };
}
