import type { YahooSourceMetrics } from "@/lib/events/source-metrics";
import type { DriverDeps, SourceDriver } from "@/lib/ingest/driver";
import { runEach } from "@/lib/ingest/run-each";
import { DEFAULT_CIRCUIT_OPTIONS, type YahooCircuitOptions } from "@/lib/ingest/yahoo/circuit";
import { createYahooClient, type YahooClient, type YahooClientOptions } from "@/lib/ingest/yahoo/client";
import { formatYahooError, isTransientYahooError } from "@/lib/ingest/yahoo/errors";
import { createYahooHealth } from "@/lib/ingest/yahoo/health";
import { getYahooQuotes } from "@/lib/ingest/yahoo/quotes";
import { computeNextPollAt, hasNothingNew, type SymbolTiming } from "@/lib/ingest/yahoo/schedule";
import { pollYahooSymbol } from "@/lib/ingest/yahoo/symbol-poll";
import { createYahooSymbolSet, type YahooSymbolState } from "@/lib/ingest/yahoo/symbol-set";
import { describeError } from "@/lib/log";
import { classifyYahooEndpoint, type IngestMetrics } from "@/lib/metrics/ingest-metrics";
import { computeBackoffMs, sleep as sleepOrAbort } from "@/lib/retry";

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
  /** Seconds between polls of a symbol whose market is not in its regular session (default 900). */
  closedPollSeconds?: number;
  /** Milliseconds before one HTTP request to Yahoo is abandoned (default 15 000). */
  requestTimeoutMs?: number;
  /** Waits `ms`, or less when `signal` aborts (new symbols, stop). Tests pass one driven by their clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Uniform [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
  circuit?: Partial<Omit<YahooCircuitOptions, "random">>;
  /** Prometheus series of the ingest worker: request latency and errors by kind. */
  metrics?: Pick<IngestMetrics, "yahooRequestDuration" | "yahooErrors">;
  /** Builds the yahoo-finance2 client (default `createYahooClient`). */
  createClient?: (options: YahooClientOptions) => YahooClient;
};

const MIN_WAIT_MS = 250;
const MAX_WAIT_MS = 5 * 60_000;
const HELD_WAIT_MS = 1_000;
const ERROR_WAIT_MS = 5_000;
const SYMBOL_BACKOFF_BASE_MS = 2_000;
const SYMBOL_BACKOFF_MAX_MS = 15 * 60_000;

/**
 * Live Yahoo Finance source (yahoo-finance2 v4). Each poll cycle quotes every symbol in batches (market
 * state, last trade time), then fetches 1-minute charts for the symbols that are due and may have
 * something new, from each symbol's cursor to now. Open markets are polled every
 * max(pollSeconds, symbol interval); closed ones rarely, or at the next known open. Failures: transient
 * ones back the whole source off and may open its circuit; a symbol Yahoo does not know is marked
 * invalid once; one symbol's failure never holds up the others for longer than a backoff step.
 */
export function createYahooDriver(options: YahooDriverOptions): SourceDriver<YahooSourceMetrics> {
  const { deps } = options;
  const { logger } = deps;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepUnlessWoken;
  const closedPollMs = (options.closedPollSeconds ?? 900) * 1_000;
  const symbols = createYahooSymbolSet(deps, options.backfillDays);
  let isHeld = false;
  let isRunning = false;
  let client: YahooClient | null = null;
  let stopController = new AbortController();
  let wakeController: AbortController | null = null;
  let loop: Promise<void> | null = null;

  const { metrics } = options;
  const health = createYahooHealth({
    circuit: { ...DEFAULT_CIRCUIT_OPTIONS, ...options.circuit, random },
    clock: deps.clock,
    logger,
    onError: metrics && ((kind) => metrics.yahooErrors.inc({ kind })),
    onCircuitChange: (message, previous) => {
      for (const t of symbols.listReady())
        if (message !== null || t.reportedError === previous) symbols.setLastError(t, message);
    },
  });

  /** One batched quote round for every symbol; false when the source must back off first. */
  async function refreshQuotes(ready: YahooSymbolState[], now: number): Promise<boolean> {
    if (!health.tryAcquire(now)) return false;
    try {
      const { bySymbol, missing } = await getYahooQuotes(
        getClient(),
        ready.map((t) => t.info.symbol),
        health.countValidationError,
      );
      health.recordAnswered();
      for (const t of ready) {
        const quote = bySymbol.get(t.info.symbol);
        if (quote) symbols.applyQuote(t, quote, now);
      }
      // Unconfirmed misses go on to the chart request, whose answer is the verdict.
      for (const m of missing) {
        const t = symbols.get(m.symbol);
        if (t && m.isConfirmed)
          symbols.markInvalid(t, `Yahoo returns no quote for ${m.symbol} (unknown or delisted symbol)`);
      }
      return true;
    } catch (error) {
      if (!isRunning) return false;
      const kind = health.recordFailure(error);
      logger.warn({ kind, err: describeError(error) }, "yahoo quote request failed");
      return !isTransientYahooError(kind);
    }
  }

  const getTiming = (t: YahooSymbolState): SymbolTiming => ({
    ...t,
    isCaughtUp: t.cursor?.isCaughtUp ?? false,
  });

  function scheduleNext(t: YahooSymbolState, now: number): void {
    const openMs = Math.max(options.pollSeconds, t.info.pollIntervalSeconds) * 1_000;
    t.nextPollAt = computeNextPollAt(getTiming(t), now, { openMs, closedMs: closedPollMs });
  }

  async function pollSymbol(t: YahooSymbolState): Promise<void> {
    const now = deps.clock();
    if (t.phase !== "ready" || !t.cursor) return;
    if (hasNothingNew(getTiming(t))) return scheduleNext(t, now);
    if (!health.tryAcquire(now)) return; // stays due; the cycle waits for the source
    const symbol = t.info.symbol;
    try {
      const outcome = await pollYahooSymbol({
        yf: getClient(),
        symbol: t.info,
        cursor: t.cursor,
        clock: deps.clock,
        publisher: deps.publisher,
        onValidationError: health.countValidationError,
      });
      health.recordAnswered();
      t.failures = 0;
      t.fetchedQuoteTime = t.quoteTime;
      t.nextOpenAt = outcome.regularStart ?? t.nextOpenAt;
      symbols.recordPolled(t, outcome.published);
      symbols.setLastError(t, null);
      scheduleNext(t, now);
    } catch (error) {
      if (!isRunning) return;
      const kind = health.recordFailure(error);
      if (kind === "not_found")
        return symbols.markInvalid(t, `Yahoo has no chart for ${symbol}: ${describeError(error)}`);
      t.failures++;
      t.nextPollAt =
        deps.clock() +
        computeBackoffMs(t.failures, {
          baseMs: SYMBOL_BACKOFF_BASE_MS,
          maxMs: SYMBOL_BACKOFF_MAX_MS,
          random,
        });
      if (health.isCircuitClosed()) symbols.setLastError(t, formatYahooError(kind, error));
      // Powers of two only: a symbol failing for hours must not flood the log.
      if ((t.failures & (t.failures - 1)) === 0)
        logger.warn(
          { symbol, kind, failures: t.failures, err: describeError(error) },
          "yahoo chart request failed",
        );
    }
  }

  function computeWaitMs(now: number): number {
    let next = now + MAX_WAIT_MS;
    for (const t of symbols.list()) {
      if (t.phase === "pending") next = now;
      else if (t.phase === "ready") next = Math.min(next, t.nextPollAt);
    }
    return Math.max(next - now, health.getWaitMs(now));
  }

  async function runCycle(): Promise<number> {
    await symbols.loadPending();
    const now = deps.clock();
    isHeld = !deps.publisher.canAccept();
    if (isHeld) return HELD_WAIT_MS; // backpressure: poll nothing, drop nothing
    const ready = symbols.listReady();
    if (!ready.some((t) => t.nextPollAt <= now) || health.getWaitMs(now) > 0) return computeWaitMs(now);
    if (!(await refreshQuotes(ready, now))) return computeWaitMs(deps.clock());
    const due = symbols.listReady().filter((t) => t.nextPollAt <= now);
    await runEach(due, options.concurrency, pollSymbol);
    return computeWaitMs(deps.clock());
  }

  async function runLoop(): Promise<void> {
    while (isRunning) {
      let waitMs = ERROR_WAIT_MS;
      try {
        waitMs = await runCycle();
      } catch (error) {
        logger.error({ err: describeError(error) }, "yahoo poll cycle failed; retrying");
      }
      if (!isRunning) break;
      wakeController = new AbortController();
      await sleep(
        Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, waitMs)),
        AbortSignal.any([wakeController.signal, stopController.signal]),
      );
      wakeController = null;
    }
  }

  function getClient(): YahooClient {
    const create = options.createClient ?? createYahooClient;
    const { fetch, concurrency, requestTimeoutMs } = options;
    return (client ??= create({
      fetch,
      concurrency,
      requestTimeoutMs,
      signal: stopController.signal,
      logger,
      onRequest:
        metrics &&
        (({ url, seconds, outcome }) =>
          metrics.yahooRequestDuration.observe({ endpoint: classifyYahooEndpoint(url), outcome }, seconds)),
    }));
  }

  return {
    source: "yahoo",
    setSymbols: (list) => {
      if (symbols.replace(list)) wakeController?.abort();
    },
    start() {
      if (isRunning) return Promise.resolve();
      isRunning = true;
      stopController = new AbortController();
      client = null;
      loop = runLoop();
      return Promise.resolve();
    },
    async stop() {
      isRunning = false;
      stopController.abort();
      await loop;
      loop = null;
    },
    metrics: () => ({ held: isHeld, ...health.snapshot(), ...symbols.snapshot() }),
  };
}

async function sleepUnlessWoken(ms: number, signal: AbortSignal): Promise<void> {
  // Rejects with AbortError when woken early (new symbols, stop): that is the point, not a failure.
  await sleepOrAbort(ms, signal).catch(() => undefined);
}
