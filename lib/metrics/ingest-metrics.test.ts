import { describe, expect, it } from "vitest";

import { classifyYahooEndpoint } from "@/lib/metrics/ingest-metrics";

describe("classifyYahooEndpoint", () => {
  it("names the API of a request URL without its symbol or query", () => {
    expect(classifyYahooEndpoint("https://query2.finance.yahoo.com/v8/finance/chart/AAPL?interval=1m")).toBe(
      "chart",
    );
    expect(classifyYahooEndpoint("https://query1.finance.yahoo.com/v7/finance/quote?symbols=AAPL,MSFT")).toBe(
      "quote",
    );
    expect(classifyYahooEndpoint("https://query1.finance.yahoo.com/v1/test/getcrumb")).toBe("session");
    expect(classifyYahooEndpoint("https://fc.yahoo.com/")).toBe("session");
    expect(classifyYahooEndpoint("https://query1.finance.yahoo.com/v1/finance/search?q=AAPL")).toBe("other");
  });
});
