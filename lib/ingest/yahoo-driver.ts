import { setTimeout as delay } from "node:timers/promises";

import type { DriverDeps, SourceDriver } from "@/lib/ingest/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import { createChartCursor, type ChartCursor } from "@/lib/ingest/yahoo-chart-cursor";
import { computeBackoffMs, createYahooCircuit, DEFAULT_CIRCUIT_OPTIONS, type YahooCircuitOptions } from "@/lib/ingest/yahoo-circuit";
import { createYahooClient, type YahooClient, type YahooClientOptions } from "@/lib/ingest/yahoo-client";
import { classifyYahooError, formatYahooError, isTransientYahooError, YAHOO_ERROR_KINDS, type YahooErrorKind } from "@/lib/ingest/yahoo-errors";
import { getYahooQuotes, type YahooQuoteInfo } from "@/lib/ingest/yahoo-quotes";
import { pollYahooSymbol } from "@/lib/ingest/yahoo-symbol-poll";
import { describeError } from "@/lib/log";

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
  /** Builds the yahoo-finance2 client (default `createYahooClient`). */
  createClient?: (options: YahooClientOptions) => YahooClient;
};

type MarketState = "open" | "pre" | "post" | "closed";

type TrackedSymbol = {
  info: IngestSymbol;
  phase: "pending" | "ready" | "invalid";
  cursor: ChartCursor | null;
  nextPollAt: number;
  failures: number;
  marketState: MarketState | null;
  /** regularMarketTime of the latest quote, and of the quote current when the chart was last fetched. */
  quoteTime: number | null;
  fetchedQuoteTime: number | null;
  nextOpenAt: number | null;
  /** undefined until the first report, so a stale error from an earlier process gets cleared. */
  reportedError: string | null | undefined;
};

const MIN_WAIT_MS = 250;
const MAX_WAIT_MS = 5 * 60_000;
const HELD_WAIT_MS = 1_000;
const ERROR_WAIT_MS = 5_000;
const SYMBOL_BACKOFF_BASE_MS = 2_000;
const SYMBOL_BACKOFF_MAX_MS = 15 * 60_000;
/** Right after the expected open, poll at the open cadence even if Yahoo still says pre-market. */
const OPENING_GRACE_MS = 15 * 60_000;

const MARKET_STATES: Record<string, MarketState> = { REGULAR: "open", PRE: "pre", PREPRE: "pre", POST: "post", POSTPOST: "post", CLOSED: "closed" };

/**
 * Live Yahoo Finance source (yahoo-finance2 v4). Each poll cycle quotes every symbol in batches (market
 * state, last trade time), then fetches 1-minute charts for the symbols that are due and may have
 * something new, from each symbol's cursor to now. Open markets are polled every
 * max(pollSeconds, symbol interval); closed ones rarely, or at the next known open. Failures: transient
 * ones back the whole source off and may open its circuit; a symbol Yahoo does not know is marked
 * invalid once; one symbol's failure never holds up the others for longer than a backoff step.
 */
export function createYahooDriver(options: YahooDriverOptions): SourceDriver {
  const { deps } = options;
  const { logger } = deps;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepUnlessWoken;
  const closedPollMs = (options.closedPollSeconds ?? 900) * 1_000;
  const circuit = createYahooCircuit({ ...DEFAULT_CIRCUIT_OPTIONS, ...options.circuit, random });
  const tracked = new Map<string, TrackedSymbol>();
  const produced: Record<string, number> = {};
  const lastSuccess: Record<string, number> = {};
  const errors = Object.fromEntries(YAHOO_ERROR_KINDS.map((kind) => [kind, 0])) as Record<YahooErrorKind, number>;
  let isHeld = false;
  let isRunning = false;
  let circuitMessage: string | null = null;
  let client: YahooClient | null = null;
  let stopController = new AbortController();
  let wakeController: AbortController | null = null;
  let loop: Promise<void> | null = null;

  const listReady = () => [...tracked.values()].filter((t) => t.phase === "ready");
  const countValidationError = () => void errors.validation++;

  function setSymbols(list: readonly IngestSymbol[]): void {
    const wanted = new Set(list.map((s) => s.symbol));
    for (const symbol of tracked.keys()) if (!wanted.has(symbol)) tracked.delete(symbol);
    let isAdded = false;
    for (const info of list) {
      const known = tracked.get(info.symbol);
      if (known) {
        known.info = info;
        continue;
      }
      tracked.set(info.symbol, { info, phase: "pending", cursor: null, nextPollAt: 0, failures: 0, marketState: null, quoteTime: null, fetchedQuoteTime: null, nextOpenAt: null, reportedError: undefined });
      isAdded = true;
    }
    if (isAdded) wakeController?.abort();
  }

  function setLastError(t: TrackedSymbol, lastError: string | null): void {
    if (t.reportedError === lastError) return;
    t.reportedError = lastError;
    deps.reportStatus(t.info.symbol, { lastError });
  }

  function markInvalid(t: TrackedSymbol, reason: string): void {
    if (t.phase === "invalid") return;
    t.phase = "invalid";
    logger.warn({ symbol: t.info.symbol, reason }, "yahoo does not know this symbol; marking it invalid");
    deps.markInvalid(t.info.symbol, reason);
  }

  function noteAnswered(): void {
    if (!circuit.recordSuccess()) return;
    logger.info("yahoo answers again; circuit closed");
    for (const t of listReady()) if (t.reportedError === circuitMessage) setLastError(t, null);
    circuitMessage = null;
  }

  /** Counts a failed request; returns its kind. Transient kinds back the source off and may open the circuit. */
  function noteFailure(error: unknown): YahooErrorKind {
    const kind = classifyYahooError(error);
    errors[kind]++;
    if (!isTransientYahooError(kind)) {
      noteAnswered(); // Yahoo did answer; the problem is the request or the symbol
      return kind;
    }
    if (circuit.recordFailure(deps.clock(), kind)) {
      circuitMessage = `yahoo unavailable: circuit open after ${circuit.consecutiveFailures} failed requests in a row (last: ${formatYahooError(kind, error)}); probing again later`;
      logger.warn({ kind, err: describeError(error) }, "yahoo circuit opened");
      for (const t of listReady()) setLastError(t, circuitMessage);
    }
    return kind;
  }

  async function loadPending(): Promise<void> {
    const pending = [...tracked.values()].filter((t) => t.phase === "pending");
    await Promise.all(
      pending.map(async (t) => {
        try {
          const durable = await deps.getCursor(t.info.symbol);
          if (tracked.get(t.info.symbol) !== t) return;
          t.cursor = createChartCursor(durable, deps.clock(), options.backfillDays);
          t.phase = "ready";
          t.nextPollAt = deps.clock();
          produced[t.info.symbol] ??= 0;
        } catch (error) {
          logger.warn({ symbol: t.info.symbol, err: describeError(error) }, "could not read the symbol's cursor; will retry");
        }
      }),
    );
  }

  function applyQuote(t: TrackedSymbol, quote: YahooQuoteInfo, now: number): void {
    t.quoteTime = quote.regularMarketTime;
    const state = quote.marketState ? (MARKET_STATES[quote.marketState.toUpperCase()] ?? "closed") : null;
    if (!state || state === t.marketState) return;
    if (state === "open") t.nextPollAt = Math.min(t.nextPollAt, now); // the session just started
    t.marketState = state;
    deps.reportStatus(t.info.symbol, { marketState: state });
  }

  /** One batched quote round for every symbol; false when the source must back off first. */
  async function refreshQuotes(ready: TrackedSymbol[], now: number): Promise<boolean> {
    if (!circuit.tryAcquire(now)) return false;
    try {
      const { bySymbol, missing } = await getYahooQuotes(getClient(), ready.map((t) => t.info.symbol), countValidationError);
      noteAnswered();
      for (const t of ready) {
        const quote = bySymbol.get(t.info.symbol);
        if (quote) applyQuote(t, quote, now);
      }
      // Unconfirmed misses go on to the chart request, whose answer is the verdict.
      for (const m of missing) {
        const t = tracked.get(m.symbol);
        if (t && m.isConfirmed) markInvalid(t, `Yahoo returns no quote for ${m.symbol} (unknown or delisted symbol)`);
      }
      return true;
    } catch (error) {
      if (!isRunning) return false;
      const kind = noteFailure(error);
      logger.warn({ kind, err: describeError(error) }, "yahoo quote request failed");
      return !isTransientYahooError(kind);
    }
  }

  function hasNothingNew(t: TrackedSymbol): boolean {
    if (!t.cursor?.isCaughtUp || t.marketState === null || t.marketState === "open") return false;
    return t.quoteTime !== null && t.fetchedQuoteTime !== null && t.quoteTime <= t.fetchedQuoteTime;
  }

  function scheduleNext(t: TrackedSymbol, now: number): void {
    const openMs = Math.max(options.pollSeconds, t.info.pollIntervalSeconds) * 1_000;
    if (!t.cursor?.isCaughtUp) t.nextPollAt = now;
    else if (t.marketState === null || t.marketState === "open") t.nextPollAt = now + openMs;
    else if (t.nextOpenAt !== null && now >= t.nextOpenAt && now < t.nextOpenAt + OPENING_GRACE_MS) t.nextPollAt = now + openMs;
    else t.nextPollAt = Math.min(now + Math.max(openMs, closedPollMs), t.nextOpenAt !== null && t.nextOpenAt > now ? t.nextOpenAt : Infinity);
  }

  async function pollSymbol(t: TrackedSymbol): Promise<void> {
    const now = deps.clock();
    if (t.phase !== "ready" || !t.cursor) return;
    if (hasNothingNew(t)) return scheduleNext(t, now);
    if (!circuit.tryAcquire(now)) return; // stays due; the cycle waits for the source
    const symbol = t.info.symbol;
    try {
      const outcome = await pollYahooSymbol({ yf: getClient(), symbol: t.info, cursor: t.cursor, clock: deps.clock, publisher: deps.publisher, onValidationError: countValidationError });
      noteAnswered();
      t.failures = 0;
      t.fetchedQuoteTime = t.quoteTime;
      t.nextOpenAt = outcome.regularStart ?? t.nextOpenAt;
      produced[symbol] = (produced[symbol] ?? 0) + outcome.published;
      lastSuccess[symbol] = deps.clock();
      setLastError(t, null);
      scheduleNext(t, now);
    } catch (error) {
      if (!isRunning) return;
      const kind = noteFailure(error);
      if (kind === "not_found") return markInvalid(t, `Yahoo has no chart for ${symbol}: ${describeError(error)}`);
      t.failures++;
      t.nextPollAt = deps.clock() + computeBackoffMs(t.failures, SYMBOL_BACKOFF_BASE_MS, SYMBOL_BACKOFF_MAX_MS, random);
      if (circuit.state === "closed") setLastError(t, formatYahooError(kind, error));
      // Powers of two only: a symbol failing for hours must not flood the log.
      if ((t.failures & (t.failures - 1)) === 0) logger.warn({ symbol, kind, failures: t.failures, err: describeError(error) }, "yahoo chart request failed");
    }
  }

  function computeWaitMs(now: number): number {
    let next = now + MAX_WAIT_MS;
    for (const t of tracked.values()) {
      if (t.phase === "pending") next = now;
      else if (t.phase === "ready") next = Math.min(next, t.nextPollAt);
    }
    return Math.max(next - now, circuit.getWaitMs(now));
  }

  async function runCycle(): Promise<number> {
    await loadPending();
    const now = deps.clock();
    isHeld = !deps.publisher.canAccept();
    if (isHeld) return HELD_WAIT_MS; // backpressure: poll nothing, drop nothing
    const ready = listReady();
    if (!ready.some((t) => t.nextPollAt <= now) || circuit.getWaitMs(now) > 0) return computeWaitMs(now);
    if (!(await refreshQuotes(ready, now))) return computeWaitMs(deps.clock());
    const due = listReady()
      .filter((t) => t.nextPollAt <= now)
      .sort((a, b) => a.nextPollAt - b.nextPollAt);
    await runEach(due, Math.max(1, options.concurrency), pollSymbol);
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
      await sleep(Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, waitMs)), AbortSignal.any([wakeController.signal, stopController.signal]));
      wakeController = null;
    }
  }

  function getClient(): YahooClient {
    client ??= (options.createClient ?? createYahooClient)({
      fetch: options.fetch,
      concurrency: options.concurrency,
      requestTimeoutMs: options.requestTimeoutMs,
      signal: stopController.signal,
      logger,
    });
    return client;
  }

  return {
    source: "yahoo",
    setSymbols,
    async start() {
      if (isRunning) return;
      isRunning = true;
      stopController = new AbortController();
      client = null;
      loop = runLoop();
    },
    async stop() {
      isRunning = false;
      stopController.abort();
      await loop;
      loop = null;
    },
    metrics: () => ({
      symbols: tracked.size,
      held: isHeld,
      circuit: circuit.snapshot(),
      produced: { ...produced },
      errors: { ...errors },
      lastSuccess: { ...lastSuccess },
      marketState: Object.fromEntries([...tracked].map(([symbol, t]) => [symbol, t.marketState])),
      invalid: [...tracked.values()].filter((t) => t.phase === "invalid").map((t) => t.info.symbol),
    }),
  };
}

/** Runs `task` for every item with at most `limit` at a time; `task` handles its own errors. */
async function runEach<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function sleepUnlessWoken(ms: number, signal: AbortSignal): Promise<void> {
  // Rejects with AbortError when woken early (new symbols, stop): that is the point, not a failure.
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
