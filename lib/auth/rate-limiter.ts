export type RateLimitDecision = { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number };

export type RateLimiter = {
  /** Whether `key` may try again at `now` (epoch ms). */
  check: (key: string, now: number) => RateLimitDecision;
  /** Counts one failure of `key` at `now`. */
  recordFailure: (key: string, now: number) => void;
  /** Forgets `key`'s failures (after a success). */
  reset: (key: string) => void;
};

/**
 * Sliding-window failure counter per key, in process memory: after `limit` failures within `windowMs`
 * a key is refused until its oldest failure leaves the window. At most `maxKeys` keys are kept (the
 * least recently failed are dropped first), so a flood of distinct keys cannot exhaust memory. Each web
 * instance counts on its own.
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((at) => at > now - windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };

  return {
    check(key, now) {
      const list = recent(key, now);
      if (list.length < limit) return { isAllowed: true };
      const oldestCounted = list[list.length - limit]!;
      return {
        isAllowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldestCounted + windowMs - now) / 1000)),
      };
    },
    recordFailure(key, now) {
      const list = recent(key, now);
      list.push(now);
      // Re-insert so Map order is "least recently failed first".
      failures.delete(key);
      failures.set(key, list.slice(-limit));
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
