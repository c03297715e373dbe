import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertSymbols } from "@/lib/db/queries/symbols";
import { computeReplayBackfillStart } from "@/lib/ingest/replay/wall-clock";
import { computeTradingDate } from "@/lib/kpi/trading-day";
import { type IngestWorker } from "@/workers/ingest/start-ingest-worker";
import { type StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestTopics,
  startTestIngestWorker,
  startTestStreamWorker,
  type TestDatabase,
  type TestTopics,
  waitFor,
} from "./helpers";

const SYMBOLS = ["QQQ", "TSLA"];
const TZ = "America/New_York";
const MIN = 60_000;

describe("the wall-clock replay through the whole pipeline", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let ingest: IngestWorker | undefined;
  let stream: StreamWorker | undefined;
  let ingestStartedAt = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await insertSymbols(
      database.db,
      SYMBOLS.map((symbol) => ({ symbol, source: "replay" as const })),
    );
    stream = await startTestStreamWorker(database, topics);
    ingestStartedAt = Date.now();
    ingest = await startTestIngestWorker(database, topics.ticks, {
      replay: { dataDir: "data/minute-bars", backfillDays: 5 },
    });
  });

  afterAll(async () => {
    await ingest?.stop();
    await stream?.stop();
    await database?.drop();
  });

  it("stores five days and the day so far at once, none after the clock, with the current bar revised in place", async () => {
    const startedAt = Date.now();
    const backfillStart = computeReplayBackfillStart(startedAt, TZ, 5);
    const q = <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
      database.db.$client.query<T>(sql, values).then((r) => r.rows);
    await waitFor(
      "the backfill stored",
      async () => {
        const rows = await q<{ n: number }>(
          "select count(*)::int as n from fact_prices where symbol = any($1) and ts >= $2 group by symbol",
          [SYMBOLS, new Date(backfillStart)],
        );
        const minutes = (Math.floor(startedAt / MIN) * MIN - backfillStart) / MIN + 1;
        return rows.length === SYMBOLS.length && rows.every((r) => r.n >= minutes);
      },
      120_000,
      500,
    );

    const newest = await q<{ symbol: string; ts: Date; volume: string; now: Date }>(
      "select distinct on (symbol) symbol, ts, volume, now() as now from fact_prices where symbol = any($1) order by symbol, ts desc",
      [SYMBOLS],
    );
    for (const row of newest) expect(row.ts.getTime()).toBeLessThanOrEqual(row.now.getTime());
    const { rows: gaps } = await database.db.$client.query(
      `select symbol from (select symbol, ts - lag(ts) over (partition by symbol order by ts) as step
         from fact_prices where symbol = any($1)) s where step <> interval '1 minute'`,
      [SYMBOLS],
    );
    expect(gaps).toEqual([]); // a bar every minute, night and weekend included

    // Six trading days (five whole calendar days and today so far), each with a change % from the day before;
    // seven when midnight in New York passed since the worker started (its backfill began the day before).
    const today = computeTradingDate(Date.now(), TZ);
    const dayCount = today === computeTradingDate(ingestStartedAt, TZ) ? 6 : 7;
    const days = await q<{
      symbol: string;
      trade_date: string;
      change_pct: number | null;
      bar_count: number;
    }>(
      "select symbol, trade_date::text, change_pct, bar_count from daily_stats where symbol = any($1) order by symbol, trade_date",
      [SYMBOLS],
    );
    for (const symbol of SYMBOLS) {
      const own = days.filter((d) => d.symbol === symbol);
      expect(own).toHaveLength(dayCount);
      expect(own.at(-1)!.trade_date).toBe(today);
      expect(own.slice(1).every((d) => d.change_pct !== null)).toBe(true);
      // A whole calendar day is 1,440 minutes (1,380 or 1,500 on a DST change).
      for (const d of own.slice(0, -1)) expect([1_380, 1_440, 1_500]).toContain(d.bar_count);
    }

    // The current minute's row is revised while its minute runs, or the next minute's row appears: within
    // the minute for most recorded bars, but a zero-volume bar (190 of QQQ's 2,730) may not change at all.
    const [first] = newest;
    await waitFor(
      "the newest bar revised",
      async () => {
        const [row] = await q<{ ts: Date; volume: string }>(
          "select ts, volume from fact_prices where symbol = $1 order by ts desc limit 1",
          [first!.symbol],
        );
        return row!.ts.getTime() > first!.ts.getTime() || Number(row!.volume) > Number(first!.volume);
      },
      75_000,
    );
  }, 240_000);
});
