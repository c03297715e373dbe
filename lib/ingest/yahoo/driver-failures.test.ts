import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createIngestMetrics } from "@/lib/metrics/ingest-metrics";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { readSample } from "@/lib/metrics/testing/read-sample";
import {
  AAPL_1M_FIXTURE,
  respondChartNotFound,
  respondWithFixture,
  respondWithJson,
  routeChart,
  WEEKEND_1M_FIXTURE,
  type YahooRoute,
} from "@/tests/support/ingest/recorded-yahoo-fetch";
import {
  AFTER_SESSION,
  createYahooDriverHarness,
  readAaplBody,
  REGULAR_BARS,
  stopYahooDriverHarnesses,
  createTestSymbol,
} from "@/tests/support/ingest/yahoo-driver-harness";

const CIRCUIT = {
  failureThreshold: 3,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  openMs: 60_000,
  maxOpenMs: 600_000,
};
const respondTooManyRequests = () =>
  new Response("Too Many Requests", { status: 429, statusText: "Too Many Requests" });

/** Answers every Yahoo data request (quotes and charts) with `respond` while `isOn()`. */
function routeEverything(isOn: () => boolean, respond: () => Response): YahooRoute {
  return (url) =>
    isOn() && url.hostname.startsWith("query") && url.pathname !== "/v1/test/getcrumb" ? respond() : null;
}

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => undefined); // yahoo-finance2 logs non-2xx URLs
});
afterEach(async () => {
  await stopYahooDriverHarnesses();
  vi.restoreAllMocks();
});

describe("yahoo driver under HTTP 429", () => {
  it("backs off with growing jittered delays, opens the circuit, probes with one request, and closes on success", async () => {
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("AAPL"), createTestSymbol("GOOG")],
      circuit: CIRCUIT,
    });
    let isLimited = true;
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    ctx.yahoo.route(routeChart("GOOG", () => respondWithFixture(WEEKEND_1M_FIXTURE)));
    ctx.yahoo.route(routeEverything(() => isLimited, respondTooManyRequests));
    await ctx.start();
    await ctx.time.elapse();
    await ctx.time.elapse();
    // Equal jitter at its midpoint: ¾ of 1 s, 2 s; then the circuit opens for ¾ of 60 s.
    expect(ctx.time.sleeps).toEqual([750, 1_500, 45_000]);
    expect(ctx.metrics().circuit.state).toBe("open");
    expect(ctx.metrics().errors.rate_limited).toBe(3);
    for (const symbol of ["AAPL", "GOOG"])
      expect(ctx.fake.lastErrorsFor(symbol).at(-1)).toMatch(
        /circuit open after 3 failed requests.*rate limited/,
      );
    expect(ctx.yahoo.chartCalls()).toEqual([]);

    const before = ctx.yahoo.calls.length;
    expect(await ctx.time.elapse()).toBe(45_000);
    expect(ctx.yahoo.calls.length - before).toBe(1); // the half-open probe: one quote request, nothing else
    expect(ctx.time.sleeps.at(-1)).toBe(90_000); // reopened, for twice as long
    expect(ctx.metrics().circuit.state).toBe("open");

    isLimited = false;
    await ctx.time.elapse();
    expect(ctx.metrics().circuit.state).toBe("closed");
    expect(ctx.fake.publishedFor("AAPL")).toHaveLength(REGULAR_BARS);
    for (const symbol of ["AAPL", "GOOG"]) expect(ctx.fake.lastErrorsFor(symbol).at(-1)).toBeNull();
  });
});

describe("yahoo driver metrics for Prometheus", () => {
  it("observes each request's latency by endpoint and outcome, and counts failures by kind", async () => {
    const registry = createMetricsRegistry("ingest", { withProcessMetrics: false });
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("AAPL")],
      circuit: CIRCUIT,
      metrics: createIngestMetrics(registry),
    });
    let isLimited = true;
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    ctx.yahoo.route(routeEverything(() => isLimited, respondTooManyRequests));
    await ctx.start();
    await ctx.time.elapse();
    await ctx.time.elapse();
    const requests = (endpoint: string, outcome: string) =>
      readSample(registry, "tickstream_yahoo_request_duration_seconds_count", { endpoint, outcome });
    const errors = (kind: string) => readSample(registry, "tickstream_yahoo_request_errors_total", { kind });
    expect(await errors("rate_limited")).toBe(ctx.metrics().errors.rate_limited);
    expect(await errors("rate_limited")).toBe(3);
    expect(await errors("server_error")).toBe(0);
    expect(await requests("quote", "4xx")).toBe(3);
    expect(await requests("chart", "2xx")).toBeUndefined();

    isLimited = false;
    await ctx.time.elapse();
    await ctx.time.elapse();
    expect(ctx.fake.publishedFor("AAPL")).toHaveLength(REGULAR_BARS);
    expect(await requests("quote", "2xx")).toBeGreaterThanOrEqual(1);
    expect(await requests("chart", "2xx")).toBeGreaterThanOrEqual(1);
  });
});

describe("yahoo driver when one symbol fails", () => {
  it("keeps publishing the other symbols while one chart answers 5xx, backing that symbol off", async () => {
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("GOOG"), createTestSymbol("AAPL")],
      concurrency: 1,
      circuit: CIRCUIT,
    });
    const googTried: number[] = [];
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    ctx.yahoo.route(
      routeChart("GOOG", () => {
        googTried.push(ctx.time.clock());
        return new Response("Bad Gateway", { status: 502 });
      }),
    );
    await ctx.start();
    // GOOG failed first and paused the source briefly; AAPL goes in the next cycle.
    await ctx.time.elapse();
    expect(ctx.fake.publishedFor("AAPL")).toHaveLength(REGULAR_BARS);
    expect(ctx.fake.lastErrorsFor("AAPL")).toEqual([null]);
    for (let i = 0; i < 4; i++) await ctx.time.elapse();

    expect(ctx.fake.lastErrorsFor("GOOG").at(-1)).toMatch(/server error: Bad Gateway/);
    const gaps = googTried.slice(1).map((t, i) => t - googTried[i]!);
    expect(gaps).toEqual([1_500, 3_000, 6_000, 12_000]); // 2 s doubling, jitter at its midpoint
    expect(ctx.metrics().errors.server_error).toBe(googTried.length);
    expect(ctx.metrics().circuit.state).toBe("closed"); // successes in between: not a source outage
    expect(ctx.fake.publishedFor("AAPL")).toHaveLength(REGULAR_BARS);
  });

  it("marks a symbol whose chart is 'No data found' invalid exactly once and stops asking for it", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("ZZZZ")] });
    ctx.yahoo.route(routeChart("ZZZZ", () => respondChartNotFound()));
    await ctx.start();
    for (let i = 0; i < 3; i++) await ctx.time.elapse();
    expect(ctx.fake.invalid).toEqual([
      { symbol: "ZZZZ", reason: expect.stringMatching(/No data found, symbol may be delisted/) as string },
    ]);
    expect(ctx.yahoo.chartCalls("ZZZZ")).toHaveLength(1);
    expect(ctx.metrics().errors.not_found).toBe(1);
    expect(ctx.metrics().invalid).toEqual(["ZZZZ"]);
    expect(ctx.metrics().circuit.state).toBe("closed");
  });

  it("marks a symbol invalid when a quote batch answers for the others but not for it, without a chart request", async () => {
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("AAPL"), createTestSymbol("ZZZZ")],
    });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    await ctx.start();
    await ctx.time.elapse();
    expect(ctx.fake.invalid).toEqual([
      { symbol: "ZZZZ", reason: expect.stringMatching(/no quote for ZZZZ/) as string },
    ]);
    expect(ctx.yahoo.chartCalls("ZZZZ")).toEqual([]);
    expect(ctx.fake.publishedFor("AAPL")).toHaveLength(REGULAR_BARS);
  });

  it("retries a chart that fails yahoo-finance2's validation without validation, and sanitises it", async () => {
    const body = readAaplBody();
    const result = body.chart.result[0];
    delete result.meta.currency; // a required field: validation fails
    result.indicators.quote[0].close[3] = "n/a"; // not a number: that bar cannot be trusted
    result.indicators.quote[0].high[10] = 1; // below open/close: widened back to a valid bar
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("AAPL"), createTestSymbol("GOOG")],
    });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithJson(body)));
    ctx.yahoo.route(
      routeChart("GOOG", () =>
        respondWithJson({ chart: { result: [{ meta: {}, timestamp: [1], indicators: {} }], error: null } }),
      ),
    );
    await ctx.start();

    expect(ctx.yahoo.chartCalls("AAPL")).toHaveLength(2);
    const ticks = ctx.fake.publishedFor("AAPL");
    expect(ticks).toHaveLength(REGULAR_BARS - 1);
    expect(ticks.some((t) => t.ts === result.timestamp[3]! * 1_000)).toBe(false);
    const widened = ticks.find((t) => t.ts === result.timestamp[10]! * 1_000)!;
    expect(widened.low).toBe(1);
    expect(widened.high).toBe(
      Math.max(widened.open, widened.close, result.indicators.quote[0].low[10] as number),
    );
    expect(ctx.fake.rejected).toEqual([]);
    expect(ctx.fake.lastErrorsFor("AAPL")).toEqual([null]);
    // GOOG's answer is beyond repair: its own error, nothing else affected.
    expect(ctx.fake.lastErrorsFor("GOOG").at(-1)).toMatch(/^yahoo other:/);
    expect(ctx.metrics().errors.validation).toBe(2);
    expect(ctx.fake.invalid).toEqual([]);
  });

  it("abandons a request that hangs past the timeout and counts it", async () => {
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("AAPL")],
      requestTimeoutMs: 20,
    });
    ctx.yahoo.route(
      routeChart(
        "AAPL",
        (_url, init) =>
          new Promise<Response>((_resolve, reject) =>
            init?.signal?.addEventListener("abort", () => reject(init.signal?.reason as Error)),
          ),
      ),
    );
    await ctx.start();
    expect(ctx.metrics().errors.timeout).toBe(1);
    expect(ctx.fake.lastErrorsFor("AAPL").at(-1)).toMatch(/^yahoo timeout:/);
  });
});
