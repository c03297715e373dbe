// @vitest-environment jsdom
import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { useThrottledReload } from "@/components/realtime/use-throttled-reload";
import type { MoversKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { createFakeLiveSocket, type FakeLiveSocket } from "@/tests/support/fake-live-socket";

let live: FakeLiveSocket;
vi.mock("@/components/realtime/socket", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getLiveSocket: () => live.socket,
}));

const INTERVAL = 15_000;

/** A live event; a negative `publishedAt` stands for one that leaves something out (due a read). */
const event = (n: number): MoversKpiUpdateV1 => ({
  v: 1,
  type: "movers",
  windowMinutes: 5,
  windowStart: 0,
  windowEnd: 0,
  gainers: [],
  losers: [],
  publishedAt: n,
});

describe("useThrottledReload", () => {
  let reload: ReturnType<typeof vi.fn<() => Promise<void>>>;
  const render = () =>
    renderHook(() =>
      useThrottledReload({
        event: "movers:updated",
        isDue: (e) => e.publishedAt < 0,
        reload,
        intervalMs: INTERVAL,
      }),
    );
  /** Lets timers due within `ms` fire, and the reads they start settle. */
  const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

  beforeEach(() => {
    vi.useFakeTimers();
    live = createFakeLiveSocket();
    reload = vi.fn(() => Promise.resolve());
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("reads at once on the first due event after a quiet spell, and never for the others", async () => {
    render();
    live.deliver("movers:updated", event(1));
    await advance(INTERVAL);
    expect(reload).not.toHaveBeenCalled();
    live.deliver("movers:updated", event(-1));
    await advance(0);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("serves the due events of one interval by one read after it, the last of them included", async () => {
    render();
    live.deliver("movers:updated", event(-1));
    await advance(0);
    expect(reload).toHaveBeenCalledTimes(1);
    for (let i = 2; i <= 10; i++) {
      await advance(1_000);
      live.deliver("movers:updated", event(-i));
    }
    await advance(INTERVAL - 9_000 - 1);
    expect(reload).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(reload).toHaveBeenCalledTimes(2);
    // Nothing came since that read started: no other follows.
    await advance(3 * INTERVAL);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it("waits for a read in flight: one read at a time", async () => {
    let finish = () => undefined as void;
    reload.mockImplementation(() => new Promise<void>((resolve) => (finish = resolve)));
    render();
    live.deliver("movers:updated", event(-1));
    await advance(0);
    live.deliver("movers:updated", event(-2));
    await advance(2 * INTERVAL);
    expect(reload).toHaveBeenCalledTimes(1);
    act(() => finish());
    await advance(0);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it("reads nothing once the page has gone", async () => {
    const { unmount } = render();
    live.deliver("movers:updated", event(-1));
    await advance(0);
    live.deliver("movers:updated", event(-2));
    unmount();
    await advance(2 * INTERVAL);
    expect(reload).toHaveBeenCalledTimes(1);
    live.deliver("movers:updated", event(-3));
    await advance(2 * INTERVAL);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
