import { describe, expect, it } from "vitest";

import {
  compareSymbols,
  rankMovers,
  toDayMoverCandidate,
  toMoverCandidate,
  type MoverCandidate,
} from "@/lib/kpi/movers";

const m = (symbol: string, gainPct: number): MoverCandidate => ({
  symbol,
  gainPct,
  lastClose: 100,
  totalVolume: 1000,
});
const names = (list: { symbol: string; rank: number }[]) => list.map((x) => `${x.rank}:${x.symbol}`);

describe("rankMovers", () => {
  it("lists risers best first as gainers and fallers worst first as losers", () => {
    const r = rankMovers([m("A", 1), m("B", -2), m("C", 3), m("D", -1)], 5);
    expect(names(r.gainers)).toEqual(["1:C", "2:A"]);
    expect(names(r.losers)).toEqual(["1:B", "2:D"]);
  });

  it("puts a symbol whose gain is exactly 0 in neither list", () => {
    const r = rankMovers([m("FLAT", 0), m("NEG0", -0), m("UP", 0.0001)], 5);
    expect(names(r.gainers)).toEqual(["1:UP"]);
    expect(r.losers).toEqual([]);
  });

  it("never lists a faller among the gainers when fewer than `limit` symbols rose", () => {
    const r = rankMovers([m("AMZN", -0.5), m("AAPL", 0.2), m("MSFT", -0.1)], 5);
    expect(names(r.gainers)).toEqual(["1:AAPL"]);
    expect(names(r.losers)).toEqual(["1:AMZN", "2:MSFT"]);
  });

  it("returns empty gainers when every symbol fell and empty losers when every symbol rose", () => {
    expect(rankMovers([m("A", -1), m("B", -2)], 5).gainers).toEqual([]);
    expect(rankMovers([m("A", 1), m("B", 2)], 5).losers).toEqual([]);
  });

  it('breaks ties by symbol in code-unit order, so BRK-B comes before BRKA (as COLLATE "C")', () => {
    const r = rankMovers([m("BRKA", 1), m("BRK-B", 1), m("AAA", 1), m("Z", -1), m("BRK.B", -1)], 5);
    expect(names(r.gainers)).toEqual(["1:AAA", "2:BRK-B", "3:BRKA"]);
    expect(names(r.losers)).toEqual(["1:BRK.B", "2:Z"]);
  });

  it("keeps the top `limit` of each list with ranks 1..limit", () => {
    const all = Array.from({ length: 8 }, (_, i) => m(`S${i}`, i - 3.5));
    const r = rankMovers(all, 3);
    expect(names(r.gainers)).toEqual(["1:S7", "2:S6", "3:S5"]);
    expect(names(r.losers)).toEqual(["1:S0", "2:S1", "3:S2"]);
    expect(rankMovers(all, 0)).toEqual({ gainers: [], losers: [] });
  });

  it("is empty without candidates and ignores a non-finite gain", () => {
    expect(rankMovers([], 5)).toEqual({ gainers: [], losers: [] });
    expect(rankMovers([m("N", Number.NaN)], 5)).toEqual({ gainers: [], losers: [] });
  });

  it("carries each mover's close and volume through", () => {
    const [top] = rankMovers([{ symbol: "X", gainPct: 2, lastClose: 12.5, totalVolume: 7 }], 1).gainers;
    expect(top).toEqual({ symbol: "X", gainPct: 2, lastClose: 12.5, totalVolume: 7, rank: 1 });
  });
});

describe("compareSymbols", () => {
  it("orders by code unit, unlike a locale collation that ignores punctuation", () => {
    expect(["BRKA", "BRK-B", "B"].sort(compareSymbols)).toEqual(["B", "BRK-B", "BRKA"]);
    expect(compareSymbols("AAPL", "AAPL")).toBe(0);
  });
});

describe("movers candidates", () => {
  it("take a window's gain, last close and volume", () => {
    expect(toMoverCandidate({ symbol: "AAPL", gainPct: -0.5, lastClose: 190.25, totalVolume: 1200 })).toEqual(
      { symbol: "AAPL", gainPct: -0.5, lastClose: 190.25, totalVolume: 1200 },
    );
  });

  it("take a day's change % against the previous close, its close and volume", () => {
    expect(toDayMoverCandidate({ symbol: "MSFT", changePct: 1.25, close: 410, volume: 9000 })).toEqual({
      symbol: "MSFT",
      gainPct: 1.25,
      lastClose: 410,
      totalVolume: 9000,
    });
  });

  it("leave out a day without a previous close, while a day that did not move (0 %) stays a candidate", () => {
    expect(toDayMoverCandidate({ symbol: "NEW", changePct: null, close: 10, volume: 1 })).toBeNull();
    expect(toDayMoverCandidate({ symbol: "FLAT", changePct: 0, close: 10, volume: 1 })?.gainPct).toBe(0);
  });
});
