import { describe, expect, it } from "vitest";

import { splitSymbolList, symbolSchema } from "@/lib/events/symbol";

describe("symbols", () => {
  it("accepts Yahoo spellings", () => {
    for (const s of ["AAPL", "BRK-B", "WSU.DE", "EURUSD=X", "BTC-USD", "^GSPC"])
      expect(symbolSchema.safeParse(s).success).toBe(true);
  });

  it("rejects anything else", () => {
    for (const s of ["", "aapl", "AAPL'; DROP TABLE symbols;--", "<script>", "A B", "X".repeat(25)])
      expect(symbolSchema.safeParse(s).success).toBe(false);
  });

  it("splits a list on commas and whitespace, upper-cases and de-duplicates", () => {
    expect(splitSymbolList(" aapl, msft  nvda,AAPL;spy ")).toEqual(["AAPL", "MSFT", "NVDA", "SPY"]);
  });
});
