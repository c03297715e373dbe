// Retries, backoff and timeouts for every reconnect loop in the project (LISTEN connection, live-update
// consumer, tick publisher, Yahoo circuit, process supervisor). Written here rather than taken from
// p-retry because the loops need more than "retry a promise": the publisher and the Yahoo circuit only
// need the next delay, the reconnect loops retry forever until stopped, and tests drive all of them with
// a fake sleep and a fixed random. No Node-only API: runs anywhere.

export type BackoffOptions = {
  /** Ceiling of the first delay; doubles per attempt. */
  baseMs: number;
  /** Largest ceiling a delay may have. */
  maxMs: number;
  /** Uniform [0, 1), for jitter (default Math.random). */
  random?: () => number;
};

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential with "equal jitter", half
 * fixed and half random, so that clients that failed together do not retry together and the delay
 * still grows. Capped at `maxMs`.
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Successive backoff delays for a loop that keeps its own state: `next()` after a failure, `reset()` after a success. */
export function createBackoff(options: BackoffOptions) {
  let attempt = 0;
  return {
    next: (): number => computeBackoffMs(++attempt, options),
    reset: (): void => {
      attempt = 0;
    },
    get attempt(): number {
      return attempt;
    },
  };
}

/** The reason an aborted signal carries, as an Error (AbortSignal.abort() without a reason gives an AbortError). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}

/** Waits `ms`; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export type RetryOptions = BackoffOptions & {
  /** Stops retrying: the returned promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Most attempts in all (default: no limit; such loops end through `signal`). */
  maxAttempts?: number;
  /** Called after each failure that will be retried, before waiting `delayMs`; may clean up (awaited). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
  /** Injected by tests; default waits on a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/**
 * Runs `run` until it resolves, waiting a jittered exponential backoff between failures. Rejects with
 * the last error after `maxAttempts`, or with the abort reason once `signal` aborts (also mid-wait).
 */
export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    try {
      return await run(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) throw error;
      const delayMs = computeBackoffMs(attempt, options);
      await options.onRetry?.(error, attempt, delayMs);
      await wait(delayMs, options.signal);
    }
  }
}

/**
 * Settles like `promise`, unless `ms` pass first: then rejects with "`what`: no answer within `ms` ms".
 * For work that takes no AbortSignal of its own (kafkajs admin, drizzle queries); the work itself goes
 * on in the background, so the caller must still release what it holds (disconnect, end).
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  let onAbort: (() => void) | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(`${what}: no answer within ${ms} ms`));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

/** Thrown by {@link pollUntil} when the condition did not hold in time; `cause` is the last error of `check`, if any. */
export class PollTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, lastError?: unknown) {
    const last =
      lastError === undefined
        ? ""
        : ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})`;
    super(`timed out after ${timeoutMs} ms waiting for ${what}${last}`, { cause: lastError });
    this.name = "PollTimeoutError";
  }
}

export type PollOptions = {
  /** Longest wait in all; then the promise rejects with a {@link PollTimeoutError}. */
  timeoutMs: number;
  /** Pause between two checks. */
  intervalMs: number;
  /** What is awaited, for the timeout message ("the broker answers"). */
  what: string;
  /**
   * Whether an error thrown by `check` means "not yet" (polling goes on, and the last such error is in
   * the timeout message). Default: no error does; it rejects the wait at once.
   */
  isRetriable?: (error: unknown) => boolean;
  /** Stops waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
};

/**
 * Calls `check` every `intervalMs` until it returns a truthy value, and resolves with that value: the
 * one way this project waits for a condition (a process exits, a broker answers, a row appears). The
 * first check runs at once; the last runs at the deadline at the latest.
 */
export async function pollUntil<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (!options.isRetriable?.(error)) throw error;
      lastError = error;
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw new PollTimeoutError(options.what, options.timeoutMs, lastError);
    await sleep(Math.min(options.intervalMs, remainingMs), options.signal);
  }
}
