import { describe, expect, it } from "vitest";

import {
  listRecordedSymbols,
  loadRecordedBars,
  parseRecordedBarsCsv,
  parseRecordedFileSymbol,
} from "@/lib/ingest/replay/recorded-bars";

describe("recorded bars", () => {
  it("reads columns by header name (yfinance writes Close,High,Low,Open,Volume)", () => {
    const [bar] = parseRecordedBarsCsv(
      "Datetime,Close,High,Low,Open,Volume\n2026-03-12 13:30:00+00:00,257.98,258.95,257.45,258.64,1169548\n",
    );
    expect(bar).toEqual({
      ts: Date.parse("2026-03-12T13:30:00Z"),
      open: 258.64,
      high: 258.95,
      low: 257.45,
      close: 257.98,
      volume: 1169548,
    });
  });

  it("names a broken row by its line", () => {
    expect(() =>
      parseRecordedBarsCsv("Datetime,Close,High,Low,Open,Volume\nnot a date,1,1,1,1,1\n", "X.csv"),
    ).toThrow(/X.csv:2/);
  });

  it("ships nine symbols of 2,730 real bars", () => {
    expect(parseRecordedFileSymbol("AAPL_1m.csv")).toBe("AAPL");
    expect(listRecordedSymbols("data/minute-bars")).toEqual([
      "AAPL",
      "AMZN",
      "GOOG",
      "META",
      "MSFT",
      "NVDA",
      "QQQ",
      "SPY",
      "TSLA",
    ]);
    const bars = loadRecordedBars("data/minute-bars");
    expect([...bars.values()].every((b) => b.length === 2730)).toBe(true);
  });
});
