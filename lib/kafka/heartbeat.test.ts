import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { waitWithHeartbeats } from "@/lib/kafka/heartbeat";

describe("waitWithHeartbeats", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** A promise with its resolve and reject in hand. */
  function deferred() {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  it("beats once per interval while the work runs, and stops once it is done", async () => {
    const work = deferred();
    const heartbeat = vi.fn(() => Promise.resolve());
    let finished = false;
    const waiting = waitWithHeartbeats(work.promise, heartbeat, 250).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(249);
    expect(heartbeat).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(heartbeat).toHaveBeenCalledTimes(3);
    expect(finished).toBe(false);

    work.resolve();
    await waiting;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(heartbeat).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("throws a heartbeat's error at once, while the work goes on", async () => {
    const work = deferred();
    const rebalancing = new Error("The group is rebalancing, so a rejoin is needed");
    const heartbeat = vi
      .fn<() => Promise<void>>()
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(rebalancing);
    const waiting = waitWithHeartbeats(work.promise, heartbeat, 100);
    const outcome = waiting.then(
      () => "resolved",
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(200);
    expect(await outcome).toBe(rebalancing);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(heartbeat).toHaveBeenCalledTimes(2);
  });

  it("ends as soon as the work is done, without waiting for a heartbeat still in flight", async () => {
    const work = deferred();
    const beat = deferred();
    const heartbeat = vi.fn(() => beat.promise);
    let finished = false;
    const waiting = waitWithHeartbeats(work.promise, heartbeat, 100).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    work.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(finished).toBe(true);
    await waiting;
    beat.resolve();
  });

  it("returns without beating when the work is already done, and when it fails", async () => {
    const heartbeat = vi.fn(() => Promise.resolve());
    await waitWithHeartbeats(Promise.resolve(), heartbeat, 100);
    const failed = deferred();
    const waiting = waitWithHeartbeats(failed.promise, heartbeat, 100);
    failed.reject(new Error("rolled back"));
    await expect(waiting).resolves.toBeUndefined();
    expect(heartbeat).not.toHaveBeenCalled();
  });
});
