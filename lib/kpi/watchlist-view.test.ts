import { describe, expect, it } from "vitest";

import type { WatchlistRow } from "@/lib/kpi/watchlist-row";
import {
  computeDayRangePosition,
  DEFAULT_WATCHLIST_VIEW,
  filterWatchlistRows,
  getNextSortDirection,
  parseWatchlistViewState,
  sortWatchlistRows,
  toWatchlistSearchParams,
} from "@/lib/kpi/watchlist-view";

function row(symbol: string, over: Partial<WatchlistRow> = {}): WatchlistRow {
  return {
    symbol,
    displayName: null,
    status: "active",
    tradeDate: "2026-11-30",
    lastTs: 0,
    last: 100,
    changePct: 0,
    volume: 1_000,
    dayHigh: 110,
    dayLow: 90,
    spark: [],
    ...over,
  };
}

const symbolsOf = (rows: readonly WatchlistRow[]) => rows.map((r) => r.symbol);

describe("computeDayRangePosition", () => {
  it("is 0 at the low, 1 at the high, linear between", () => {
    expect(computeDayRangePosition({ last: 90, dayHigh: 110, dayLow: 90 })).toBe(0);
    expect(computeDayRangePosition({ last: 110, dayHigh: 110, dayLow: 90 })).toBe(1);
    expect(computeDayRangePosition({ last: 95, dayHigh: 110, dayLow: 90 })).toBe(0.25);
  });

  it("is mid-bar on a day that has not moved, and null without figures", () => {
    expect(computeDayRangePosition({ last: 5, dayHigh: 5, dayLow: 5 })).toBe(0.5);
    expect(computeDayRangePosition({ last: null, dayHigh: null, dayLow: null })).toBeNull();
  });

  it("clamps a price outside the range", () => {
    expect(computeDayRangePosition({ last: 120, dayHigh: 110, dayLow: 90 })).toBe(1);
    expect(computeDayRangePosition({ last: 80, dayHigh: 110, dayLow: 90 })).toBe(0);
  });
});

describe("sortWatchlistRows", () => {
  const rows = [
    row("MSFT", { changePct: 2, volume: 10, last: 300 }),
    row("AAPL", { changePct: -1, volume: 30, last: 200 }),
    row("NEW", { changePct: null, volume: null, last: null, dayHigh: null, dayLow: null }),
    row("SPY", { changePct: 2, volume: 20, last: 95 }),
  ];

  it("orders by a column in both directions, ties by symbol", () => {
    expect(symbolsOf(sortWatchlistRows(rows, "change", "desc"))).toEqual(["MSFT", "SPY", "AAPL", "NEW"]);
    expect(symbolsOf(sortWatchlistRows(rows, "change", "asc"))).toEqual(["AAPL", "MSFT", "SPY", "NEW"]);
    expect(symbolsOf(sortWatchlistRows(rows, "volume", "desc"))).toEqual(["AAPL", "SPY", "MSFT", "NEW"]);
    expect(symbolsOf(sortWatchlistRows(rows, "symbol", "desc"))).toEqual(["SPY", "NEW", "MSFT", "AAPL"]);
  });

  it("puts rows without a value last in both directions", () => {
    expect(sortWatchlistRows(rows, "last", "asc").at(-1)!.symbol).toBe("NEW");
    expect(sortWatchlistRows(rows, "last", "desc").at(-1)!.symbol).toBe("NEW");
  });

  it("orders by the position in the day's range", () => {
    // AAPL and MSFT sit above the 110 high (clamped to 1), SPY at 0.25.
    expect(symbolsOf(sortWatchlistRows(rows, "range", "asc"))).toEqual(["SPY", "AAPL", "MSFT", "NEW"]);
  });

  it("does not reorder its input", () => {
    sortWatchlistRows(rows, "volume", "asc");
    expect(symbolsOf(rows)).toEqual(["MSFT", "AAPL", "NEW", "SPY"]);
  });
});

describe("filterWatchlistRows", () => {
  const rows = [
    row("AAPL", { displayName: "Apple Inc." }),
    row("MSFT", { displayName: "Microsoft" }),
    row("SPY"),
  ];

  it("matches the symbol or the name, case-insensitively", () => {
    expect(symbolsOf(filterWatchlistRows(rows, "ms"))).toEqual(["MSFT"]);
    expect(symbolsOf(filterWatchlistRows(rows, "apple"))).toEqual(["AAPL"]);
    expect(symbolsOf(filterWatchlistRows(rows, "P"))).toEqual(["AAPL", "SPY"]);
  });

  it("keeps every row for blank text", () => {
    expect(filterWatchlistRows(rows, "  ")).toBe(rows);
  });
});

describe("view state in the URL", () => {
  it("round-trips a sort and a search", () => {
    const state = { sort: "volume", dir: "desc", q: "AA" } as const;
    const params = toWatchlistSearchParams(state);
    expect(params.toString()).toBe("sort=volume&dir=desc&q=AA");
    expect(parseWatchlistViewState((n) => params.get(n))).toEqual(state);
  });

  it("leaves the defaults out and falls back to them for unknown values", () => {
    expect(toWatchlistSearchParams(DEFAULT_WATCHLIST_VIEW).toString()).toBe("");
    const params = new URLSearchParams("sort=price&dir=up");
    expect(parseWatchlistViewState((n) => params.get(n))).toEqual(DEFAULT_WATCHLIST_VIEW);
  });

  it("flips the sorted column and starts others in their natural direction", () => {
    expect(getNextSortDirection({ sort: "change", dir: "desc", q: "" }, "change")).toBe("asc");
    expect(getNextSortDirection({ sort: "change", dir: "desc", q: "" }, "volume")).toBe("desc");
    expect(getNextSortDirection({ sort: "change", dir: "desc", q: "" }, "symbol")).toBe("asc");
  });
});
