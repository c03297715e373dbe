import type { IngestCursor } from "@/lib/ingest/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import { createFakeDriverDeps, createManualTime } from "@/tests/support/ingest/fake-driver-deps";
import {
  AAPL_1M_FIXTURE,
  createRecordedYahooFetch,
  readYahooFixtureBody,
} from "@/tests/support/ingest/recorded-yahoo-fetch";
import { createYahooDriver, type YahooDriverOptions } from "@/lib/ingest/yahoo/driver";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** The recorded session's period2: 2024-10-03 00:00 UTC (2024-10-02 20:00 in New York, after the close). */
export const AFTER_SESSION = Date.UTC(2024, 9, 3);
export const SESSION_OPEN = Date.UTC(2024, 9, 2, 13, 30);
/** 13:30–19:59 UTC is 390 minutes; one of them (15:15) has no trades, so the recorded day has 389 bars. */
export const REGULAR_BARS = 389;

type Series = Record<"open" | "high" | "low" | "close" | "volume", (number | null | string)[]>;
export type ChartBody = {
  chart: {
    result: [{ meta: Record<string, unknown>; timestamp: number[]; indicators: { quote: [Series] } }];
  };
};

/** A fresh, editable copy of the recorded AAPL 1-minute answer. */
export const readAaplBody = () => readYahooFixtureBody<ChartBody>(AAPL_1M_FIXTURE);

/** The recorded AAPL day cut to its first `count` points (a session still in progress). */
export function sliceAaplBody(count: number): ChartBody {
  const body = readAaplBody();
  const result = body.chart.result[0];
  result.timestamp = result.timestamp.slice(0, count);
  const quote = result.indicators.quote[0];
  for (const key of ["open", "high", "low", "close", "volume"] as const)
    quote[key] = quote[key].slice(0, count);
  return body;
}

export function createTestSymbol(symbol: string, pollIntervalSeconds = 60): IngestSymbol {
  return { symbol, source: "yahoo", pollIntervalSeconds, timeZone: "America/New_York" };
}

const started: { stop: () => Promise<void> }[] = [];

/**
 * A Yahoo driver wired to fakes: recorded Yahoo over an injected fetch, recording deps, a manual clock
 * and sleep, and jitter pinned to its midpoint. Nothing runs until `start()`.
 */
export function createYahooDriverHarness(
  options: { now: number; symbols: IngestSymbol[]; cursors?: Record<string, IngestCursor> } & Partial<
    Omit<YahooDriverOptions, "deps">
  >,
) {
  const { now, symbols, cursors, ...rest } = options;
  const time = createManualTime(now);
  const fake = createFakeDriverDeps({ clock: time.clock, cursors });
  const yahoo = createRecordedYahooFetch();
  const driver = createYahooDriver({
    pollSeconds: 30,
    concurrency: 2,
    backfillDays: 0,
    fetch: yahoo.fetch,
    sleep: time.sleep,
    random: () => 0.5,
    ...rest,
    deps: fake.deps,
  });
  driver.setSymbols(symbols);
  return {
    time,
    fake,
    yahoo,
    driver,
    metrics: () => driver.metrics(),
    /** Starts the driver and returns once its first cycle is over (it sleeps). */
    async start(): Promise<void> {
      started.push(driver);
      await driver.start();
      await time.whenSleeping();
    },
  };
}

/** Stops every driver a harness started (call from afterEach). */
export async function stopYahooDriverHarnesses(): Promise<void> {
  for (const driver of started.splice(0)) await driver.stop();
}
