import { describe, expect, it } from "vitest";

import { applySymbolChanges, type SymbolPageScope } from "@/components/realtime/symbol-page-changes";
import type { SymbolSummary } from "@/lib/events/api-market";
import type { SymbolChange } from "@/lib/events/symbols-changed";

const summary = (symbol: string, over: Partial<SymbolSummary> = {}): SymbolSummary => ({
  symbol,
  displayName: null,
  status: "active",
  statusReason: null,
  source: "replay",
  marketState: null,
  exchangeTimezone: "America/New_York",
  lastTickAt: null,
  ...over,
});
const page = (symbols: string[], nextCursor: string | null = null, total = symbols.length) => ({
  symbols: symbols.map((s) => summary(s)),
  nextCursor,
  total,
});
const scope = (q: string | null = null): SymbolPageScope<SymbolSummary> => ({
  q,
  isListed: (s) => s.status !== "removed",
  toRow: (s) => s,
});
const added = (symbol: string, over: Partial<SymbolSummary> = {}): SymbolChange => ({
  op: "added",
  summary: summary(symbol, over),
});
const names = (p: { symbols: SymbolSummary[] }) => p.symbols.map((s) => s.symbol);

describe("applySymbolChanges", () => {
  it("inserts a new symbol in order on the last page, and counts it", () => {
    const { page: next } = applySymbolChanges(page(["AAPL", "MSFT"]), [added("GOOG")], scope());
    expect(names(next)).toEqual(["AAPL", "GOOG", "MSFT"]);
    expect(next.total).toBe(3);
  });

  it("leaves the rows of a page alone for a new symbol after its last row, but counts it", () => {
    const before = page(["AAPL", "MSFT"], "0:MSFT", 10);
    const { page: next } = applySymbolChanges(before, [added("TSLA")], scope());
    expect(names(next)).toEqual(["AAPL", "MSFT"]);
    expect(next.total).toBe(11);
  });

  it("leaves a later page alone for a symbol before its cursor", () => {
    const before = page(["NVDA", "TSLA"]);
    const result = applySymbolChanges(before, [added("AAPL")], {
      ...scope(),
      after: { rank: 0, symbol: "MSFT" },
    });
    expect(names(result.page)).toEqual(["NVDA", "TSLA"]);
  });

  it("ignores a symbol that does not match the search", () => {
    const before = page(["AAPL", "AMZN"]);
    const result = applySymbolChanges(before, [added("MSFT")], scope("a"));
    expect(result.page).toBe(before);
  });

  it("places a name match after the symbols that start with the search", () => {
    const before = page(["AAPL", "AMZN"]);
    const { page: next } = applySymbolChanges(
      before,
      [added("ZZZ", { displayName: "Acme" }), added("AB")],
      scope("a"),
    );
    expect(names(next)).toEqual(["AAPL", "AB", "AMZN", "ZZZ"]);
  });

  it("updates a shown symbol in place, and drops it when it is deleted or no longer listed", () => {
    const before = page(["AAPL", "MSFT", "NVDA"], null, 3);
    const { page: next } = applySymbolChanges(
      before,
      [
        { op: "updated", summary: summary("AAPL", { status: "paused" }) },
        { op: "deleted", symbol: "MSFT" },
        { op: "updated", summary: summary("NVDA", { status: "removed" }) },
      ],
      scope(),
    );
    expect(next.symbols).toEqual([summary("AAPL", { status: "paused" })]);
    expect(next.total).toBe(1);
  });

  it("returns the page itself for a deleted symbol it does not show", () => {
    const before = page(["AAPL"]);
    expect(applySymbolChanges(before, [{ op: "deleted", symbol: "ZZZ" }], scope()).page).toBe(before);
  });

  it("asks for a reload when a symbol enters the page and no row can be built from its summary", () => {
    const result = applySymbolChanges(page(["AAPL", "MSFT"]), [added("GOOG")], {
      ...scope(),
      toRow: () => null,
    });
    expect(result.isReloadNeeded).toBe(true);
    expect(names(result.page)).toEqual(["AAPL", "MSFT"]);
  });
});
