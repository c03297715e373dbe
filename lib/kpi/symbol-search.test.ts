import { describe, expect, it } from "vitest";

import { compareSymbolSortKeys, rankSymbolMatch, toSymbolCase } from "@/lib/kpi/symbol-search";

const s = (symbol: string, displayName: string | null = null) => ({ symbol, displayName });

describe("rankSymbolMatch", () => {
  it("ranks a symbol that starts with the query first, whatever the query's case", () => {
    expect(rankSymbolMatch(s("AAPL"), "aa")).toBe(0);
    expect(rankSymbolMatch(s("AAPL"), "AAPL")).toBe(0);
  });

  it("ranks a symbol that contains the query elsewhere, or whose name contains it, second", () => {
    expect(rankSymbolMatch(s("BAAPL"), "aap")).toBe(1);
    expect(rankSymbolMatch(s("AAPL", "Apple Inc."), "apple")).toBe(1);
    expect(rankSymbolMatch(s("AAPL", "Apple Inc."), "PLE IN")).toBe(1);
  });

  it("does not match a symbol without the query in it or its name (a null name included)", () => {
    expect(rankSymbolMatch(s("MSFT"), "apple")).toBeNull();
    expect(rankSymbolMatch(s("MSFT", "Microsoft"), "soft x")).toBeNull();
  });

  it("matches everything at rank 0 without a query", () => {
    expect(rankSymbolMatch(s("ZZ"), null)).toBe(0);
  });

  it("upper-cases ASCII letters only: a locale's capitals (ß → SS) match no ticker", () => {
    expect(toSymbolCase("brk-b ß")).toBe("BRK-B ß");
    expect(rankSymbolMatch(s("SSX"), "ß")).toBeNull();
  });
});

describe("compareSymbolSortKeys", () => {
  it("orders by rank, then by symbol in code-unit order (PostgreSQL's C collation)", () => {
    const keys = [
      { rank: 1 as const, symbol: "A" },
      { rank: 0 as const, symbol: "BRK.B" },
      { rank: 0 as const, symbol: "BRK-B" },
      { rank: 0 as const, symbol: "BRKB" },
    ];
    expect([...keys].sort(compareSymbolSortKeys).map((k) => `${k.rank}:${k.symbol}`)).toEqual([
      "0:BRK-B",
      "0:BRK.B",
      "0:BRKB",
      "1:A",
    ]);
  });
});
