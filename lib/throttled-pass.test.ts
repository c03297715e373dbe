import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createThrottledPass } from "@/lib/throttled-pass";

describe("createThrottledPass", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  /** A pass that takes all queued work and records when it started and what it took. */
  function setUp(passMs = 0) {
    let queued: number[] = [];
    const passes: { at: number; took: number[] }[] = [];
    const errors: unknown[] = [];
    const throttled = createThrottledPass({
      intervalMs: 1_000,
      hasWork: () => queued.length > 0,
      pass: async () => {
        passes.push({ at: Date.now(), took: queued });
        queued = [];
        if (passMs > 0) await new Promise((resolve) => setTimeout(resolve, passMs));
      },
      onError: (error) => errors.push(error),
    });
    const add = (n: number) => {
      queued.push(n);
      throttled.kick();
    };
    return { throttled, add, passes, errors };
  }

  it("starts the first pass at once and serves kicks within the interval with one trailing pass", async () => {
    const { add, passes } = setUp();
    add(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toEqual([{ at: 1_000_000, took: [1] }]);
    await vi.advanceTimersByTimeAsync(100);
    add(2);
    await vi.advanceTimersByTimeAsync(300);
    add(3);
    await vi.advanceTimersByTimeAsync(599);
    expect(passes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes[1]).toEqual({ at: 1_001_000, took: [2, 3] });
    // Quiet for longer than the interval: the next kick is served at once again.
    await vi.advanceTimersByTimeAsync(5_000);
    add(4);
    await vi.advanceTimersByTimeAsync(0);
    expect(passes[2]).toEqual({ at: 1_006_000, took: [4] });
  });

  it("never runs two passes at once; work queued during a slow pass gets the next one", async () => {
    const { add, passes } = setUp(2_500);
    add(1);
    await vi.advanceTimersByTimeAsync(0);
    add(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(passes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500 + 1);
    // Right after the slow one ends (timers have a resolution of 1 ms).
    expect(passes[1]?.took).toEqual([2]);
    expect(passes[1]?.at).toBeGreaterThanOrEqual(1_002_500);
    expect(passes[1]?.at).toBeLessThanOrEqual(1_002_501);
  });

  it("reports a failed pass and keeps serving later work", async () => {
    let fail = true;
    const errors: unknown[] = [];
    let runs = 0;
    let work = 0;
    const throttled = createThrottledPass({
      intervalMs: 1_000,
      hasWork: () => work > 0,
      pass: () => {
        runs++;
        work = 0;
        if (fail) return Promise.reject(new Error("broker away"));
        return Promise.resolve();
      },
      onError: (error) => errors.push(error),
    });
    work = 1;
    throttled.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error("broker away")]);
    fail = false;
    work = 1;
    throttled.kick();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it("flush runs the queued work without waiting for the interval and resolves when none is left", async () => {
    const { throttled, add, passes } = setUp(10);
    add(1);
    await vi.advanceTimersByTimeAsync(0);
    add(2);
    const flushed = throttled.flush();
    await vi.advanceTimersByTimeAsync(20);
    await flushed;
    expect(passes.map((p) => p.took)).toEqual([[1], [2]]);
    expect(passes[1]!.at).toBeLessThan(1_000_000 + 1_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(passes).toHaveLength(2);
  });
});
