import { computeBackoffMs } from "@/lib/retry";

export type CircuitState = "closed" | "open" | "half-open";

export type YahooCircuitOptions = {
  /** Consecutive failed requests (no success in between) that open the circuit. */
  failureThreshold: number;
  /** First backoff after a failure; doubles per consecutive failure up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long the circuit stays open before one probe; doubles per failed probe up to `maxOpenMs`. */
  openMs: number;
  maxOpenMs: number;
  /** Uniform [0, 1), for jitter. */
  random: () => number;
};

export const DEFAULT_CIRCUIT_OPTIONS: Omit<YahooCircuitOptions, "random"> = {
  failureThreshold: 5,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  openMs: 60_000,
  maxOpenMs: 15 * 60_000,
};

/**
 * Backoff and circuit breaker for one source (all of its requests go to the same Yahoo hosts, and a
 * 429 limits the whole client, not one symbol). Every failure pauses the source with a growing,
 * jittered delay; `failureThreshold` failures in a row open the circuit for `openMs`; then one probe
 * request is let through (half-open): its success closes the circuit, its failure reopens it for longer.
 * Every `tryAcquire()` that returns true must be followed by `recordSuccess` or `recordFailure`.
 */
export function createYahooCircuit(options: YahooCircuitOptions) {
  let state: CircuitState = "closed";
  let failures = 0;
  let openings = 0;
  let retryAt = 0;
  let openedAt: number | null = null;
  let isProbing = false;
  let lastFailure: string | null = null;

  return {
    get state(): CircuitState {
      return state;
    },
    get consecutiveFailures(): number {
      return failures;
    },
    /** Milliseconds until a request may be tried (0: now). */
    getWaitMs(now: number): number {
      return Math.max(0, retryAt - now);
    },
    tryAcquire(now: number): boolean {
      if (now < retryAt) return false;
      if (state === "open") state = "half-open";
      if (state === "half-open") {
        if (isProbing) return false;
        isProbing = true;
      }
      return true;
    },
    /** Yahoo answered. Returns true when this closed an open circuit. */
    recordSuccess(): boolean {
      const wasOpen = state !== "closed";
      state = "closed";
      failures = 0;
      openings = 0;
      retryAt = 0;
      openedAt = null;
      isProbing = false;
      return wasOpen;
    },
    /** A request failed for a transient reason. Returns true when this opened the circuit. */
    recordFailure(now: number, reason: string): boolean {
      failures++;
      lastFailure = reason;
      // Requests already in flight when the circuit opened must not stretch the open period.
      if (state === "open") return false;
      const wasProbe = state === "half-open";
      isProbing = false;
      if (wasProbe || failures >= options.failureThreshold) {
        const wasClosed = !wasProbe;
        state = "open";
        openings++;
        openedAt ??= now;
        retryAt =
          now +
          computeBackoffMs(openings, {
            baseMs: options.openMs,
            maxMs: options.maxOpenMs,
            random: options.random,
          });
        return wasClosed;
      }
      retryAt = Math.max(
        retryAt,
        now +
          computeBackoffMs(failures, {
            baseMs: options.baseBackoffMs,
            maxMs: options.maxBackoffMs,
            random: options.random,
          }),
      );
      return false;
    },
    snapshot() {
      return { state, consecutiveFailures: failures, openedAt, retryAt: retryAt || null, lastFailure };
    },
  };
}
