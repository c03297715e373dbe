import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import {
  AAPL_1M_FIXTURE,
  respondWithFixture,
  respondWithJson,
  respondWithQuotes,
  routeChart,
  routeQuotes,
  WEEKEND_1M_FIXTURE,
} from "@/tests/support/ingest/recorded-yahoo-fetch";
import {
  AFTER_SESSION,
  DAY_MS,
  MINUTE_MS,
  readAaplBody,
  REGULAR_BARS,
  SESSION_OPEN,
  sliceAaplBody,
  stopYahooDriverHarnesses,
  createTestSymbol,
  createYahooDriverHarness,
} from "@/tests/support/ingest/yahoo-driver-harness";

const aaplRecorded = readAaplBody().chart.result[0];

beforeEach(() => {
  // yahoo-finance2 prints the URL of every non-2xx answer with console.error.
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(async () => {
  await stopYahooDriverHarnesses();
  vi.restoreAllMocks();
});

describe("yahoo driver on the recorded 1-minute session (real yahoo-finance2 parsing)", () => {
  it("publishes the 389 bars of the 390-minute session with Yahoo's exact OHLCV", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    await ctx.start();

    const ticks = ctx.fake.publishedFor("AAPL");
    expect(ticks).toHaveLength(REGULAR_BARS);
    expect(ctx.fake.rejected).toEqual([]);
    expect(ctx.yahoo.unmatched).toEqual([]);
    const q = aaplRecorded.indicators.quote[0];
    for (const i of [0, 1, 2, 104, 106, 200, 389]) {
      const ts = aaplRecorded.timestamp[i]! * 1_000;
      expect(ticks.find((t) => t.ts === ts)).toEqual({
        v: 1,
        symbol: "AAPL",
        source: "yahoo",
        producedAt: AFTER_SESSION,
        ts,
        open: q.open[i],
        high: q.high[i],
        low: q.low[i],
        close: q.close[i],
        volume: q.volume[i],
      });
    }
    expect(ticks[0]).toMatchObject({
      ts: SESSION_OPEN,
      open: 225.88999938964844,
      high: 226.11000061035156,
      low: 225.4199981689453,
      close: 225.6999969482422,
      volume: 1205461,
    });
    expect(ticks.at(-1)).toMatchObject({
      ts: Date.UTC(2024, 9, 2, 19, 59),
      close: 226.80999755859375,
      volume: 546314,
    });
    expect(ticks.map((t) => t.ts)).toEqual([...ticks.map((t) => t.ts)].sort((a, b) => a - b));
  });

  it("leaves the null candle at 15:15 UTC out as a gap (no zero bar) and drops the trailing live point", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    await ctx.start();
    const byTs = new Map(ctx.fake.publishedFor("AAPL").map((t) => [t.ts, t]));
    expect(aaplRecorded.indicators.quote[0].close[105]).toBeNull();
    expect(byTs.has(Date.UTC(2024, 9, 2, 15, 15))).toBe(false);
    expect(byTs.has(Date.UTC(2024, 9, 2, 15, 14))).toBe(true);
    expect(byTs.has(Date.UTC(2024, 9, 2, 15, 16))).toBe(true);
    expect([...byTs.values()].some((t) => t.volume === 0)).toBe(false);
    expect(byTs.has(Date.UTC(2024, 9, 3, 20, 0))).toBe(false);
    expect(byTs.size).toBe(REGULAR_BARS);
  });

  it("asks for 1-minute regular-session bars of the latest session, and reports the market closed", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    await ctx.start();
    const [chart] = ctx.yahoo.chartCalls("AAPL");
    expect(chart?.searchParams.get("interval")).toBe("1m");
    expect(chart?.searchParams.get("includePrePost")).toBe("false");
    expect(Number(chart?.searchParams.get("period2"))).toBe(AFTER_SESSION / 1_000);
    expect(Number(chart?.searchParams.get("period1"))).toBe((AFTER_SESSION - 7 * DAY_MS) / 1_000);
    // quote() fetched its cookie and crumb first, then the recorded quote URL matched exactly.
    expect(ctx.yahoo.calls.slice(0, 3).map((u) => new URL(u).pathname)).toEqual([
      "/quote/AAPL",
      "/v1/test/getcrumb",
      "/v7/finance/quote",
    ]);
    expect(ctx.fake.marketStatesFor("AAPL")).toEqual(["closed"]);
    expect(ctx.fake.lastErrorsFor("AAPL")).toEqual([null]);
    const m = ctx.metrics();
    expect(m.produced).toEqual({ AAPL: REGULAR_BARS });
    expect(m.lastSuccess).toEqual({ AAPL: AFTER_SESSION });
    expect(Object.values(m.errors).every((n) => n === 0)).toBe(true);
    expect(m.circuit.state).toBe("closed");
  });

  it("gives no bars and no error for the weekend file", async () => {
    const ctx = createYahooDriverHarness({ now: Date.UTC(2025, 1, 2), symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(WEEKEND_1M_FIXTURE)));
    await ctx.start();
    expect(ctx.yahoo.chartCalls("AAPL")).toHaveLength(1);
    expect(ctx.fake.published).toEqual([]);
    expect(ctx.fake.lastErrorsFor("AAPL")).toEqual([null]);
    expect(Object.values(ctx.metrics().errors).every((n) => n === 0)).toBe(true);
  });
});

describe("yahoo driver polling", () => {
  it("while the market is closed and nothing is new, quotes every 15 minutes and skips the chart", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    await ctx.start();
    let waited = 0;
    while (waited < 15 * MINUTE_MS) waited += await ctx.time.elapse();
    expect(waited).toBe(15 * MINUTE_MS);
    expect(ctx.yahoo.quoteCalls()).toHaveLength(2);
    expect(ctx.yahoo.chartCalls()).toHaveLength(1);
    expect(ctx.fake.published).toHaveLength(REGULAR_BARS);
  });

  it("re-sends the current minute only while Yahoo revises it, at max(pollSeconds, the symbol's interval)", async () => {
    const now = Date.UTC(2024, 9, 2, 16, 50, 30);
    const ctx = createYahooDriverHarness({ now, symbols: [createTestSymbol("AAPL", 60)], pollSeconds: 30 });
    ctx.yahoo.route(
      routeQuotes((symbols) => respondWithQuotes(symbols, { AAPL: { marketState: "REGULAR" } })),
    );
    const answers = [sliceAaplBody(200), sliceAaplBody(202), sliceAaplBody(202)];
    answers[1]!.chart.result[0].indicators.quote[0].volume[199] = 99_999; // Yahoo revised 16:49 after the first poll
    answers[2] = answers[1]!;
    ctx.yahoo.route(routeChart("AAPL", () => respondWithJson(answers.shift())));
    await ctx.start();
    expect(ctx.fake.publishedFor("AAPL")).toHaveLength(199); // 200 points minus the 15:15 gap
    expect(ctx.fake.marketStatesFor("AAPL")).toEqual(["open"]);

    expect(await ctx.time.elapse()).toBe(60_000);
    const second = ctx.fake.published.slice(199);
    expect(second.map((t) => [t.ts, t.volume])).toEqual([
      [Date.UTC(2024, 9, 2, 16, 49), 99_999],
      [Date.UTC(2024, 9, 2, 16, 50), aaplRecorded.indicators.quote[0].volume[200]],
      [Date.UTC(2024, 9, 2, 16, 51), aaplRecorded.indicators.quote[0].volume[201]],
    ]);
    expect(Number(ctx.yahoo.chartCalls("AAPL")[1]?.searchParams.get("period1"))).toBe(
      Date.UTC(2024, 9, 2, 16, 49) / 1_000,
    );

    await ctx.time.elapse();
    expect(ctx.yahoo.chartCalls("AAPL")).toHaveLength(3);
    expect(ctx.fake.published).toHaveLength(202);
  });

  it("resumes from the durable cursor, sending that bar again and everything after it", async () => {
    const lastTs = aaplRecorded.timestamp[380]! * 1_000;
    const ctx = createYahooDriverHarness({
      now: AFTER_SESSION,
      symbols: [createTestSymbol("AAPL")],
      cursors: { AAPL: { lastTs, replaySeq: null } },
    });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    await ctx.start();
    expect(Number(ctx.yahoo.chartCalls("AAPL")[0]?.searchParams.get("period1"))).toBe(lastTs / 1_000);
    expect(ctx.fake.publishedFor("AAPL").map((t) => t.ts)).toEqual(
      aaplRecorded.timestamp.slice(380, 390).map((s) => s * 1_000),
    );
  });

  it.each([
    [10, [10, 3]],
    [29, [29, 22, 15, 8, 1]],
    [40, [29, 22, 15, 8, 1]],
  ])(
    "backfills %i days in windows of at most 7 days, never before now − 29 days",
    async (backfillDays, daysBack) => {
      const ctx = createYahooDriverHarness({
        now: AFTER_SESSION,
        symbols: [createTestSymbol("AAPL")],
        backfillDays,
      });
      ctx.yahoo.route(
        routeChart("AAPL", (url) =>
          respondWithFixture(
            Number(url.searchParams.get("period2")) * 1_000 < AFTER_SESSION
              ? WEEKEND_1M_FIXTURE
              : AAPL_1M_FIXTURE,
          ),
        ),
      );
      await ctx.start();
      const windows = ctx.yahoo
        .chartCalls("AAPL")
        .map(
          (u) =>
            [
              Number(u.searchParams.get("period1")) * 1_000,
              Number(u.searchParams.get("period2")) * 1_000,
            ] as const,
        );
      expect(windows.map(([from]) => (AFTER_SESSION - from) / DAY_MS)).toEqual(daysBack);
      for (const [i, [from, to]] of windows.entries()) {
        expect(to - from).toBeLessThanOrEqual(7 * DAY_MS);
        if (i > 0) expect(from).toBe(windows[i - 1]![1]);
      }
      expect(windows.at(-1)?.[1]).toBe(AFTER_SESSION);
      expect(ctx.fake.published).toHaveLength(REGULAR_BARS);
    },
  );

  it("polls nothing while the publisher cannot accept, and catches up once it can", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    ctx.fake.control.accepting = false;
    await ctx.start();
    expect(ctx.yahoo.calls).toEqual([]);
    expect(ctx.metrics().held).toBe(true);
    await ctx.time.elapse();
    expect(ctx.yahoo.calls).toEqual([]);
    ctx.fake.control.accepting = true;
    await ctx.time.elapse();
    expect(ctx.fake.published).toHaveLength(REGULAR_BARS);
    expect(ctx.metrics().held).toBe(false);
  });

  it("wakes at the next open Yahoo announced instead of waiting out the closed-market interval", async () => {
    const opensAt = AFTER_SESSION + 10 * MINUTE_MS;
    const body = readAaplBody();
    const meta = body.chart.result[0].meta as { currentTradingPeriod: { regular: { start: number } } };
    meta.currentTradingPeriod.regular.start = opensAt / 1_000;
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithJson(body)));
    await ctx.start();
    let waited = 0;
    while (ctx.yahoo.quoteCalls().length < 2 && waited < DAY_MS) waited += await ctx.time.elapse();
    expect(waited).toBe(10 * MINUTE_MS);
  });

  it("fetches a symbol added while the driver sleeps at once", async () => {
    const ctx = createYahooDriverHarness({ now: AFTER_SESSION, symbols: [createTestSymbol("AAPL")] });
    ctx.yahoo.route(routeChart("AAPL", () => respondWithFixture(AAPL_1M_FIXTURE)));
    ctx.yahoo.route(routeChart("GOOG", () => respondWithFixture(WEEKEND_1M_FIXTURE)));
    await ctx.start();
    ctx.driver.setSymbols([createTestSymbol("AAPL"), createTestSymbol("GOOG")]);
    await ctx.time.whenSleeping();
    expect(ctx.time.clock()).toBe(AFTER_SESSION);
    expect(ctx.yahoo.chartCalls("GOOG")).toHaveLength(1);
    expect(ctx.yahoo.chartCalls("AAPL")).toHaveLength(1);
    ctx.driver.setSymbols([createTestSymbol("GOOG")]);
    expect(ctx.metrics().symbols).toBe(1);
  });
});
