import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { upsertDailyStats } from "@/lib/db/queries/daily-stats";
import { upsertFactPrices } from "@/lib/db/queries/fact-prices";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { listDownsampledCloses, listFollowedSymbolDays } from "@/lib/db/queries/watchlist";
import { computeDailyStats } from "@/lib/kpi/daily-stats";
import { downsampleBars } from "@/lib/kpi/downsample";
import type { FactBar } from "@/lib/kpi/types";

import { createTestDatabase, type TestDatabase } from "./helpers";

const MINUTE = 60_000;
const MON = Date.UTC(2026, 10, 23, 14, 30);
const TUE = Date.UTC(2026, 10, 24, 14, 30);

function bars(symbol: string, tradeDate: string, start: number, closes: number[]): FactBar[] {
  return closes.map((close, i) => ({
    symbol,
    tradeDate,
    ts: start + i * MINUTE,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 100 * (i + 1),
    ma5: null,
    ma20: null,
    ema20: null,
    vwap: null,
    isFinal: true,
  }));
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await insertSymbols(db, [
    { symbol: "AAA", status: "active", displayName: "Triple A" },
    { symbol: "BBB", status: "paused" },
    { symbol: "CCC", status: "active" },
    { symbol: "DDD", status: "invalid" },
    { symbol: "EEE", status: "removed" },
  ]);
  const monday = bars("AAA", "2026-11-23", MON, [10, 11]);
  const tuesday = bars("AAA", "2026-11-24", TUE, [12, 13, 14]);
  const paused = bars("BBB", "2026-11-23", MON, [50]);
  const invalid = bars("DDD", "2026-11-24", TUE, [1]);
  await upsertFactPrices(db, [...monday, ...tuesday, ...paused, ...invalid]);
  await upsertDailyStats(db, [
    computeDailyStats("AAA", "2026-11-23", monday, null),
    computeDailyStats("AAA", "2026-11-24", tuesday, 11),
    computeDailyStats("BBB", "2026-11-23", paused, null),
    computeDailyStats("DDD", "2026-11-24", invalid, null),
  ]);
});

afterAll(async () => {
  await database?.drop();
});

describe("watchlist queries", () => {
  it("lists the active and paused symbols by symbol, each with its newest trading day", async () => {
    const followed = await listFollowedSymbolDays(database.db);
    expect(followed.map((f) => [f.symbol, f.status, f.day?.tradeDate ?? null])).toEqual([
      ["AAA", "active", "2026-11-24"],
      ["BBB", "paused", "2026-11-23"],
      ["CCC", "active", null],
    ]);
    expect(followed[0]).toMatchObject({
      displayName: "Triple A",
      day: { close: 14, prevClose: 11, high: 15, low: 11, volume: 600, lastTs: TUE + 2 * MINUTE },
    });
  });

  it("reduces exactly the days asked for, by symbol then time", async () => {
    const found = await listDownsampledCloses(
      database.db,
      [
        { symbol: "AAA", tradeDate: "2026-11-24" },
        { symbol: "BBB", tradeDate: "2026-11-23" },
      ],
      10,
    );
    expect(found).toEqual([
      { symbol: "AAA", ts: TUE, close: 12 },
      { symbol: "AAA", ts: TUE + MINUTE, close: 13 },
      { symbol: "AAA", ts: TUE + 2 * MINUTE, close: 14 },
      { symbol: "BBB", ts: MON, close: 50 },
    ]);
    expect(await listDownsampledCloses(database.db, [], 10)).toEqual([]);
  });

  // The SQL repeats downsampleBars' rule for ts and close; the same bars must give the same points,
  // at the limit, one over it, for counts that the points do not divide (a last run of one bar), and
  // for a single bar.
  it.each([
    [7, 7],
    [8, 7],
    [390, 32],
    [389, 48],
    [31, 2],
    [10, 4],
    [1, 32],
  ])("picks the points downsampleBars picks (%i bars to %i points)", async (count, points) => {
    const symbol = `DS${count}X${points}`;
    const day = "2026-11-25";
    const closes = Array.from({ length: count }, (_, i) => 100 + Math.sin(i) * 5 + i / 100);
    const seeded = bars(symbol, day, Date.UTC(2026, 10, 25, 14, 30), closes);
    await insertSymbols(database.db, [{ symbol, status: "active" }]);
    // Shuffled, so that the order of insertion cannot stand in for the order of time.
    await upsertFactPrices(database.db, [...seeded].reverse());
    const found = await listDownsampledCloses(database.db, [{ symbol, tradeDate: day }], points);
    expect(found).toEqual(downsampleBars(seeded, points).map((b) => ({ symbol, ts: b.ts, close: b.close })));
  });
});
