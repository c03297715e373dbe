import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createRecordedYahooFetch, RECORDED_CRUMB } from "@/tests/support/ingest/recorded-yahoo-fetch";
import { createYahooClient } from "@/lib/ingest/yahoo/client";
import { classifyYahooError } from "@/lib/ingest/yahoo/errors";
import { lookupYahooSymbols } from "@/lib/ingest/yahoo/lookup";

function setup() {
  const yahoo = createRecordedYahooFetch();
  return { yahoo, yf: createYahooClient({ fetch: yahoo.fetch, concurrency: 2 }) };
}

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => undefined); // yahoo-finance2 logs non-2xx URLs
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("lookupYahooSymbols", () => {
  it("finds AAPL and BABA with the recorded multi-symbol quote (exact recorded URL)", async () => {
    const { yahoo, yf } = setup();
    const result = await lookupYahooSymbols(yf, ["AAPL", "BABA"]);
    expect(result).toEqual({
      found: [
        { symbol: "AAPL", name: "Apple Inc.", exchangeTimezone: "America/New_York", quoteType: "EQUITY" },
        {
          symbol: "BABA",
          name: "Alibaba Group Holding Limited",
          exchangeTimezone: "America/New_York",
          quoteType: "EQUITY",
        },
      ],
      missing: [],
    });
    expect(yahoo.quoteCalls().map((u) => u.href)).toEqual([
      `https://query2.finance.yahoo.com/v7/finance/quote?symbols=AAPL%2CBABA&crumb=${RECORDED_CRUMB}`,
    ]);
    expect(yahoo.unmatched).toEqual([]);
  });

  it("reports a symbol Yahoo does not know as missing, normalising input and keeping its order", async () => {
    const { yahoo, yf } = setup();
    const result = await lookupYahooSymbols(yf, [" baba", "NOPE1", "AAPL", "baba"]);
    expect(result.found.map((f) => f.symbol)).toEqual(["BABA", "AAPL"]);
    expect(result.missing).toEqual(["NOPE1"]);
    expect(yahoo.quoteCalls()).toHaveLength(1);
  });

  it("asks in batches of at most 100 symbols", async () => {
    const { yahoo, yf } = setup();
    const symbols = ["AAPL", ...Array.from({ length: 149 }, (_, i) => `X${i}`)];
    const result = await lookupYahooSymbols(yf, symbols);
    expect(yahoo.quoteCalls().map((u) => u.searchParams.get("symbols")!.split(",").length)).toEqual([
      100, 50,
    ]);
    expect(result.found.map((f) => f.symbol)).toEqual(["AAPL"]);
    expect(result.missing).toHaveLength(149);
  });

  it("returns nothing and asks nothing for an empty list", async () => {
    const { yahoo, yf } = setup();
    expect(await lookupYahooSymbols(yf, [])).toEqual({ found: [], missing: [] });
    expect(yahoo.calls).toEqual([]);
  });

  it("throws Yahoo's rate limit for the caller to map", async () => {
    const { yahoo, yf } = setup();
    yahoo.route((url) =>
      url.pathname === "/v7/finance/quote" ? new Response("Too Many Requests", { status: 429 }) : null,
    );
    const error = await lookupYahooSymbols(yf, ["AAPL"]).catch((e: unknown) => e);
    expect(classifyYahooError(error)).toBe("rate_limited");
  });
});
