import { afterEach, describe, expect, it, vi } from "vitest";

import {
  computeBackoffMs,
  createBackoff,
  pollUntil,
  PollTimeoutError,
  retry,
  sleep,
  withTimeout,
} from "@/lib/retry";

const options = { baseMs: 1_000, maxMs: 8_000 };

describe("computeBackoffMs", () => {
  it("doubles the ceiling per attempt up to the cap; the lowest draw is half of it", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => computeBackoffMs(n, { ...options, random: () => 0 }))).toEqual([
      500, 1_000, 2_000, 4_000, 4_000, 4_000,
    ]);
  });

  it("never exceeds the cap with the highest draw", () => {
    const highest = { ...options, random: () => 0.999_999 };
    expect([1, 2, 3, 4, 5].map((n) => computeBackoffMs(n, highest))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000,
    ]);
  });

  it("treats attempt 0 like the first retry", () => {
    expect(computeBackoffMs(0, { ...options, random: () => 0 })).toBe(500);
  });
});

describe("createBackoff", () => {
  it("grows with each failure and starts over after reset", () => {
    const backoff = createBackoff({ ...options, random: () => 0 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([500, 1_000, 2_000]);
    expect(backoff.attempt).toBe(3);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });
});

describe("retry", () => {
  it("retries failures with growing delays until the work succeeds", async () => {
    const waits: number[] = [];
    const retried: [string, number, number][] = [];
    let calls = 0;
    const result = await retry(
      (attempt) => {
        calls++;
        return attempt < 4 ? Promise.reject(new Error(`fail ${attempt}`)) : Promise.resolve("done");
      },
      {
        ...options,
        random: () => 0,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        onRetry: (error, attempt, delayMs) => {
          retried.push([(error as Error).message, attempt, delayMs]);
        },
      },
    );
    expect(result).toBe("done");
    expect(calls).toBe(4);
    expect(waits).toEqual([500, 1_000, 2_000]);
    expect(retried).toEqual([
      ["fail 1", 1, 500],
      ["fail 2", 2, 1_000],
      ["fail 3", 3, 2_000],
    ]);
  });

  it("gives up with the last error after maxAttempts", async () => {
    let calls = 0;
    const failing = retry(() => Promise.reject(new Error(`fail ${++calls}`)), {
      ...options,
      maxAttempts: 3,
      sleep: () => Promise.resolve(),
    });
    await expect(failing).rejects.toThrow("fail 3");
    expect(calls).toBe(3);
  });

  it("stops during the wait when the signal aborts, without another attempt", async () => {
    const controller = new AbortController();
    let calls = 0;
    const stopped = retry(
      () => {
        calls++;
        return Promise.reject(new Error("down"));
      },
      { baseMs: 60_000, maxMs: 60_000, signal: controller.signal },
    );
    await vi.waitFor(() => expect(calls).toBe(1));
    controller.abort(new Error("stopping"));
    await expect(stopped).rejects.toThrow("stopping");
    expect(calls).toBe(1);
  });

  it("does not start when the signal is already aborted", async () => {
    const run = vi.fn(() => Promise.resolve(1));
    await expect(retry(run, { ...options, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(run).not.toHaveBeenCalled();
  });
});

describe("sleep", () => {
  afterEach(() => void vi.useRealTimers());

  it("resolves after the delay on the (fake) clock", async () => {
    vi.useFakeTimers();
    let isDone = false;
    void sleep(1_000).then(() => (isDone = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(isDone).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(isDone).toBe(true);
  });

  it("rejects at once when aborted", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("withTimeout", () => {
  it("passes the result through when the work answers in time", async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000, "probe")).resolves.toBe(42);
  });

  it("passes the work's own error through", async () => {
    await expect(withTimeout(Promise.reject(new Error("refused")), 1_000, "probe")).rejects.toThrow(
      "refused",
    );
  });

  it("rejects naming the operation when the work does not answer in time", async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 20, "PostgreSQL")).rejects.toThrow("PostgreSQL: no answer within 20 ms");
  });
});

describe("pollUntil", () => {
  afterEach(() => void vi.useRealTimers());
  const poll = { timeoutMs: 1_000, intervalMs: 100, what: "the flag" };

  it("checks at once and then every interval, and resolves with the first truthy value", async () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const start = Date.now();
    const waiting = pollUntil(() => {
      seen.push(Date.now() - start);
      return seen.length === 3 && "ready";
    }, poll);
    await vi.advanceTimersByTimeAsync(200);
    await expect(waiting).resolves.toBe("ready");
    expect(seen).toEqual([0, 100, 200]);
  });

  it("treats 0, empty text, null and false as not yet", async () => {
    vi.useFakeTimers();
    const values = [0, "", null, false, undefined, 7];
    const waiting = pollUntil(() => values.shift(), poll);
    await vi.advanceTimersByTimeAsync(500);
    await expect(waiting).resolves.toBe(7);
  });

  it("rejects naming what it waited for once the timeout passes, after a last check at the deadline", async () => {
    vi.useFakeTimers();
    let checks = 0;
    const waiting = pollUntil(
      () => {
        checks++;
        return false;
      },
      { ...poll, intervalMs: 300 },
    );
    const failed = expect(waiting).rejects.toThrow(new PollTimeoutError("the flag", 1_000).message);
    await vi.advanceTimersByTimeAsync(1_000);
    await failed;
    // At 0, 300, 600, 900 and the deadline (1000).
    expect(checks).toBe(5);
  });

  it("rejects at once with an error of check, unless the error is retriable", async () => {
    await expect(
      pollUntil(() => {
        throw new Error("process exited");
      }, poll),
    ).rejects.toThrow("process exited");

    vi.useFakeTimers();
    let calls = 0;
    const waiting = pollUntil(
      () => {
        if (++calls < 3) throw new Error("not connected");
        return calls;
      },
      { ...poll, isRetriable: () => true },
    );
    await vi.advanceTimersByTimeAsync(200);
    await expect(waiting).resolves.toBe(3);
  });

  it("names the last retriable error when it times out", async () => {
    const waiting = pollUntil(
      () => {
        throw new Error("connection refused");
      },
      { timeoutMs: 30, intervalMs: 10, what: "PostgreSQL", isRetriable: () => true },
    );
    await expect(waiting).rejects.toThrow(
      "timed out after 30 ms waiting for PostgreSQL (last error: connection refused)",
    );
  });

  it("rejects with the abort reason when stopped", async () => {
    const controller = new AbortController();
    const waiting = pollUntil(() => false, { ...poll, timeoutMs: 60_000, signal: controller.signal });
    controller.abort(new Error("shutting down"));
    await expect(waiting).rejects.toThrow("shutting down");
  });
});
