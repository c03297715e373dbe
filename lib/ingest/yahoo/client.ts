import YahooFinance from "yahoo-finance2";
import { ExtendedCookieJar } from "yahoo-finance2/lib/cookieJar";

import type { Logger } from "@/lib/log";

export type YahooClient = InstanceType<typeof YahooFinance>;

export type YahooClientOptions = {
  /** HTTP fetch (default `globalThis.fetch`); tests serve recorded responses through it. */
  fetch?: typeof fetch;
  /** Most requests in flight (yahoo-finance2's request queue). */
  concurrency: number;
  /** Milliseconds before one HTTP request is abandoned with a `TimeoutError` (default 15 000). */
  requestTimeoutMs?: number;
  /** Aborts every request in flight and every later one (the owner is stopping). */
  signal?: AbortSignal;
  /** Where yahoo-finance2's own messages go (default: dropped below warn). */
  logger?: Logger;
  /** Told of each HTTP request: its URL, duration and outcome (HTTP status class, or "error"). */
  onRequest?: (request: { url: string; seconds: number; outcome: string }) => void;
};

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * A yahoo-finance2 v4 client for the ingest worker and the admin lookup. Each client has its own
 * cookie jar (the library's default jar is one object shared by every instance in the process), so
 * its crumb and cookies live and die with it. Validation errors are not logged by the library:
 * callers catch them and retry without validation.
 */
export function createYahooClient(options: YahooClientOptions): YahooClient {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = options.fetch ?? globalThis.fetch;
  // The library's queue has no timeout, so a hung socket would hold a queue slot for ever.
  const timedFetch: typeof fetch = (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs), init?.signal, options.signal].filter(
      (s): s is AbortSignal => s != null,
    );
    const request = baseFetch(input, { ...init, signal: AbortSignal.any(signals) });
    const { onRequest } = options;
    if (!onRequest) return request;
    const startedAt = performance.now();
    const url = input instanceof Request ? input.url : String(input);
    const report = (outcome: string) =>
      onRequest({ url, seconds: (performance.now() - startedAt) / 1000, outcome });
    return request.then(
      (response) => {
        report(`${Math.floor(response.status / 100)}xx`);
        return response;
      },
      (error: unknown) => {
        report("error");
        throw error;
      },
    );
  };
  return new YahooFinance({
    fetch: timedFetch,
    cookieJar: new ExtendedCookieJar(),
    queue: { concurrency: Math.max(1, options.concurrency) },
    suppressNotices: ["yahooSurvey"],
    // A failed validation would otherwise ask npm for the latest version: a request we never want.
    versionCheck: false,
    validation: { logErrors: false, logOptionsErrors: true, allowAdditionalProps: true },
    logger: toYahooLogger(options.logger),
  });
}

function toYahooLogger(logger: Logger | undefined) {
  const format = (args: unknown[]) => args.map(formatArg).join(" ");
  return {
    info: (...args: unknown[]) => logger?.debug({ lib: "yahoo-finance2" }, format(args)),
    debug: (...args: unknown[]) => logger?.trace({ lib: "yahoo-finance2" }, format(args)),
    dir: (...args: unknown[]) => logger?.trace({ lib: "yahoo-finance2" }, format(args)),
    warn: (...args: unknown[]) => logger?.warn({ lib: "yahoo-finance2" }, format(args)),
    error: (...args: unknown[]) => logger?.error({ lib: "yahoo-finance2" }, format(args)),
  };
}

function formatArg(arg: unknown): string {
  if (typeof arg === "string") return arg;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}
