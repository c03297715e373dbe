import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { WatchlistUpdate } from "@/lib/events/api-market";
import type { WatchlistTick } from "@/lib/kpi/watchlist-row";

import { createWatchlistRelay } from "@/lib/realtime/watchlist-relay";

function tick(symbol: string, last: number, ts = 0): WatchlistTick {
  return {
    symbol,
    tradeDate: "2026-11-30",
    lastTs: ts,
    last,
    changePct: 0,
    volume: 1,
    dayHigh: last,
    dayLow: last,
    bars: [[ts, last]],
  };
}

describe("createWatchlistRelay", () => {
  let sent: WatchlistUpdate[];
  let hasListeners: boolean;
  const make = () =>
    createWatchlistRelay({
      emit: (u) => sent.push(u),
      hasListeners: () => hasListeners,
      clock: Date.now,
      intervalMs: 1_000,
      gatherMs: 40,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    hasListeners = true;
  });
  afterEach(() => vi.useRealTimers());

  it("gathers a burst into one event holding each symbol once, combined", () => {
    const relay = make();
    relay.add(tick("AAPL", 1, 0));
    relay.add(tick("MSFT", 2));
    relay.add(tick("AAPL", 3, 60_000));
    vi.advanceTimersByTime(39);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.ticks.map((t) => [t.symbol, t.last])).toEqual([
      ["AAPL", 3],
      ["MSFT", 2],
    ]);
    expect(sent[0]!.ticks[0]!.bars).toEqual([
      [0, 1],
      [60_000, 3],
    ]);
  });

  it("sends at most one event per interval", () => {
    const relay = make();
    relay.add(tick("AAPL", 1));
    vi.advanceTimersByTime(40);
    relay.add(tick("AAPL", 2));
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.ticks[0]!.last).toBe(2);
  });

  it("gathers nothing while no page shows the watchlist", () => {
    hasListeners = false;
    const relay = make();
    relay.add(tick("AAPL", 1));
    vi.advanceTimersByTime(2_000);
    expect(sent).toHaveLength(0);
  });

  it("drops what is pending on stop", () => {
    const relay = make();
    relay.add(tick("AAPL", 1));
    relay.stop();
    vi.advanceTimersByTime(2_000);
    expect(sent).toHaveLength(0);
  });
});
