import fs from "node:fs";
import path from "node:path";

/** Recorded real Yahoo responses (see tests/fixtures/yahoo/README.md for provenance and format). */
export const YAHOO_FIXTURES_DIR = path.resolve(import.meta.dirname, "../../fixtures/yahoo");

export const AAPL_1M_FIXTURE = "chart-AAPL-2024-10-02-to-2024-10-03-includePrePost-false-interval-1m.json";
export const WEEKEND_1M_FIXTURE = "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.json";
/** The crumb in the recorded quote URLs; answering getcrumb with it lets those URLs match exactly. */
export const RECORDED_CRUMB = "haT3oykhHqZ";

type Fixture = {
  request: { url: string };
  response: { status: number; statusText?: string; bodyJson?: unknown; body?: string };
};

const cache = new Map<string, Fixture>();

function readFixture(name: string): Fixture {
  let fixture = cache.get(name);
  if (!fixture) {
    fixture = JSON.parse(fs.readFileSync(path.join(YAHOO_FIXTURES_DIR, name), "utf8")) as Fixture;
    cache.set(name, fixture);
  }
  return fixture;
}

/** A fresh copy of a fixture's Yahoo JSON (the older recorder stored it as a string in `body`). */
export function readYahooFixtureBody<T = unknown>(name: string): T {
  const { response } = readFixture(name);
  return (
    response.bodyJson !== undefined ? structuredClone(response.bodyJson) : JSON.parse(response.body ?? "null")
  ) as T;
}

export function respondWithJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}

export function respondWithFixture(name: string): Response {
  return respondWithJson(readYahooFixtureBody(name), readFixture(name).response.status);
}

/** Yahoo's answer to a chart request for a symbol it does not know. */
export function respondChartNotFound(): Response {
  return respondWithJson(
    {
      chart: {
        result: null,
        error: { code: "Not Found", description: "No data found, symbol may be delisted" },
      },
    },
    404,
  );
}

type QuoteRecord = Record<string, unknown> & { symbol: string };

/** Every full quote recorded, by symbol (the `fields=` recordings hold partial quotes and are left out). */
export function listRecordedQuotes(): Map<string, QuoteRecord> {
  const quotes = new Map<string, QuoteRecord>();
  for (const name of fs.readdirSync(YAHOO_FIXTURES_DIR)) {
    if (!name.startsWith("quote-") || name.includes("-fields-")) continue;
    const body = readYahooFixtureBody<{ quoteResponse: { result: QuoteRecord[] } }>(name);
    for (const quote of body.quoteResponse.result) quotes.set(quote.symbol, quote);
  }
  return quotes;
}

/** A quote answer built from recorded quotes; unknown symbols are left out, as Yahoo does. */
export function respondWithQuotes(
  symbols: readonly string[],
  patch: Record<string, Record<string, unknown>> = {},
): Response {
  const recorded = listRecordedQuotes();
  const result = symbols.flatMap((symbol) => {
    const quote = recorded.get(symbol);
    return quote ? [{ ...quote, ...patch[symbol] }] : [];
  });
  return respondWithJson({ quoteResponse: { result, error: null } });
}

export type YahooRoute = (
  url: URL,
  init: RequestInit | undefined,
) => Response | Promise<Response> | null | undefined;

export type RecordedYahooFetch = {
  fetch: typeof fetch;
  /** Every URL requested, in order (cookie and crumb requests included). */
  calls: string[];
  /** URLs nothing answered (served as 500 so the code under test sees a failure). */
  unmatched: string[];
  /** Adds a route tried before the recorded files, newest first; returning null passes to the next. */
  route: (route: YahooRoute) => void;
  chartCalls: (symbol?: string) => URL[];
  quoteCalls: () => URL[];
};

/**
 * A fetch that answers yahoo-finance2 from the recorded responses: the consent page (with a cookie)
 * and getcrumb that quote() asks for first, then routes added by the test, then any fixture whose
 * recorded URL matches exactly, then quote requests assembled from the recorded quotes.
 */
export function createRecordedYahooFetch(): RecordedYahooFetch {
  const byUrl = new Map<string, string>();
  for (const name of fs.readdirSync(YAHOO_FIXTURES_DIR))
    if (name.endsWith(".json")) byUrl.set(readFixture(name).request.url, name);
  const routes: YahooRoute[] = [];
  const calls: string[] = [];
  const unmatched: string[] = [];

  const answer = async (url: URL, init: RequestInit | undefined): Promise<Response> => {
    if (url.hostname === "finance.yahoo.com") {
      return new Response("", {
        status: 200,
        headers: { "set-cookie": "A3=recorded-test-cookie; Domain=.yahoo.com; Path=/; Secure" },
      });
    }
    if (url.pathname === "/v1/test/getcrumb") return new Response(RECORDED_CRUMB, { status: 200 });
    for (const route of routes) {
      const response = await route(url, init);
      if (response) return response;
    }
    const fixture = byUrl.get(url.href);
    if (fixture) return respondWithFixture(fixture);
    if (url.pathname === "/v7/finance/quote")
      return respondWithQuotes((url.searchParams.get("symbols") ?? "").split(","));
    unmatched.push(url.href);
    return new Response(`no recorded response for ${url.href}`, { status: 500 });
  };

  const fetchRecorded: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(url.href);
    init?.signal?.throwIfAborted();
    return answer(url, init);
  };

  return {
    fetch: fetchRecorded,
    calls,
    unmatched,
    route: (route) => void routes.unshift(route),
    chartCalls: (symbol) =>
      calls
        .map((c) => new URL(c))
        .filter((u) =>
          symbol ? u.pathname === `/v8/finance/chart/${symbol}` : u.pathname.startsWith("/v8/finance/chart/"),
        ),
    quoteCalls: () => calls.map((c) => new URL(c)).filter((u) => u.pathname === "/v7/finance/quote"),
  };
}

/** Route helper: answers chart requests for `symbol` (any period). */
export function routeChart(
  symbol: string,
  respond: (url: URL, init: RequestInit | undefined) => Response | Promise<Response>,
): YahooRoute {
  return (url, init) => (url.pathname === `/v8/finance/chart/${symbol}` ? respond(url, init) : null);
}

/** Route helper: answers every quote request. */
export function routeQuotes(
  respond: (symbols: string[], url: URL) => Response | Promise<Response>,
): YahooRoute {
  return (url) =>
    url.pathname === "/v7/finance/quote"
      ? respond((url.searchParams.get("symbols") ?? "").split(","), url)
      : null;
}
