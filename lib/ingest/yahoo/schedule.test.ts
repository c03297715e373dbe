import { describe, expect, it } from "vitest";

import {
  computeNextPollAt,
  hasNothingNew,
  toMarketState,
  type SymbolTiming,
} from "@/lib/ingest/yahoo/schedule";

const NOW = Date.UTC(2024, 9, 3, 12);
const MIN = 60_000;
const intervals = { openMs: MIN, closedMs: 15 * MIN };
const timing = (patch: Partial<SymbolTiming>): SymbolTiming => ({
  marketState: "closed",
  isCaughtUp: true,
  quoteTime: null,
  fetchedQuoteTime: null,
  nextOpenAt: null,
  ...patch,
});

describe("toMarketState", () => {
  it("maps Yahoo's states onto open / pre / post / closed", () => {
    expect(["REGULAR", "PRE", "PREPRE", "POST", "POSTPOST", "CLOSED", "HALTED"].map(toMarketState)).toEqual([
      "open",
      "pre",
      "pre",
      "post",
      "post",
      "closed",
      "closed",
    ]);
    expect(toMarketState(null)).toBeNull();
  });
});

describe("computeNextPollAt", () => {
  it("polls an open market, or one whose state is unknown, at the open interval", () => {
    expect(computeNextPollAt(timing({ marketState: "open" }), NOW, intervals)).toBe(NOW + MIN);
    expect(computeNextPollAt(timing({ marketState: null }), NOW, intervals)).toBe(NOW + MIN);
  });

  it("polls a closed market at the closed interval, but no later than the next known open", () => {
    expect(computeNextPollAt(timing({}), NOW, intervals)).toBe(NOW + 15 * MIN);
    expect(computeNextPollAt(timing({ nextOpenAt: NOW + 5 * MIN }), NOW, intervals)).toBe(NOW + 5 * MIN);
    expect(
      computeNextPollAt(timing({ marketState: "pre", nextOpenAt: NOW + 60 * MIN }), NOW, intervals),
    ).toBe(NOW + 15 * MIN);
  });

  it("keeps the open cadence just after the expected open while Yahoo still says pre-market", () => {
    expect(computeNextPollAt(timing({ marketState: "pre", nextOpenAt: NOW - MIN }), NOW, intervals)).toBe(
      NOW + MIN,
    );
  });

  it("never polls a closed market more often than an open one", () => {
    expect(computeNextPollAt(timing({}), NOW, { openMs: 30 * MIN, closedMs: 15 * MIN })).toBe(NOW + 30 * MIN);
  });

  it("continues at once while a symbol is still catching up", () => {
    expect(computeNextPollAt(timing({ isCaughtUp: false }), NOW, intervals)).toBe(NOW);
  });
});

describe("hasNothingNew", () => {
  it("skips the chart only outside the session, caught up, with no trade since the last fetch", () => {
    expect(hasNothingNew(timing({ quoteTime: NOW, fetchedQuoteTime: NOW }))).toBe(true);
    expect(hasNothingNew(timing({ quoteTime: NOW + 1_000, fetchedQuoteTime: NOW }))).toBe(false);
    expect(hasNothingNew(timing({ marketState: "open", quoteTime: NOW, fetchedQuoteTime: NOW }))).toBe(false);
    expect(hasNothingNew(timing({ isCaughtUp: false, quoteTime: NOW, fetchedQuoteTime: NOW }))).toBe(false);
    expect(hasNothingNew(timing({ quoteTime: NOW, fetchedQuoteTime: null }))).toBe(false);
  });
});
