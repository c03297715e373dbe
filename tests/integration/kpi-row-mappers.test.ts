import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  finalizeFactPricesUpTo,
  listFactPrices,
  loadSymbolHistories,
  loadSymbolHistory,
  upsertFactPrices,
} from "@/lib/db/queries/fact-prices";
import { listDailyStats, upsertDailyStats } from "@/lib/db/queries/daily-stats";
import { listWindowKpis, upsertKpiSnapshots } from "@/lib/db/queries/kpi-snapshots";
import { dailyStatSchema, factBarSchema, windowKpiSchema } from "@/lib/events/kpi-update-v1";
import { computeLastFinalTs, isBarFinal } from "@/lib/kpi/bar-finality";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";

import { createTestDatabase, type TestDatabase } from "./helpers";

const M = 60_000;
const TS = Date.parse("2026-03-12T14:00:00Z");

// Every field set to a value of its own (no null, no default), so a column that is not written or not
// read back shows as a difference.
const FACT: FactBar = {
  symbol: "AAPL",
  ts: TS,
  tradeDate: "2026-03-12",
  open: 10.25,
  high: 11.5,
  low: 9.75,
  close: 10.5,
  volume: 12_345,
  ma5: 10.125,
  ma20: 10.0625,
  ema20: 10.03125,
  vwap: 10.375,
  isFinal: true,
};

const DAY: DailyStat = {
  symbol: "AAPL",
  tradeDate: "2026-03-12",
  open: 10.25,
  high: 11.5,
  low: 9.75,
  close: 10.5,
  volume: 99_999,
  prevClose: 10,
  changePct: 5,
  range: 1.75,
  rangePct: 17.948717948717949,
  vwap: 10.4,
  barCount: 390,
  firstTs: TS - 30 * M,
  lastTs: TS + 359 * M,
};

const WINDOW: WindowKpi = {
  symbol: "AAPL",
  windowMinutes: 15,
  windowStart: TS,
  windowEnd: TS + 15 * M,
  avgPrice: 10.4,
  vwap: 10.45,
  totalVolume: 7_000,
  gainPct: 2.4390243902439024,
  firstOpen: 10.25,
  lastClose: 10.5,
  high: 11.5,
  low: 9.75,
  barCount: 15,
};

const schemaKeys = (schema: { shape: object }) => Object.keys(schema.shape).sort();

describe("row mappers round-trip every field of the KPI shapes through PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("fact_prices ↔ FactBar", async () => {
    await upsertFactPrices(database.db, [FACT]);
    const [listed] = await listFactPrices(database.db, "AAPL", TS, TS, 10);
    const history = await loadSymbolHistory(database.db, "AAPL", TS, 20);
    const histories = await loadSymbolHistories(database.db, [{ symbol: "AAPL", from: TS }], 20);
    expect(listed).toStrictEqual(FACT);
    expect(history.bars).toStrictEqual([FACT]);
    expect(histories.get("AAPL")?.bars).toStrictEqual([FACT]);
    expect(Object.keys(listed!).sort()).toEqual(schemaKeys(factBarSchema));
  });

  it("daily_stats ↔ DailyStat", async () => {
    await upsertDailyStats(database.db, [DAY]);
    const [read] = await listDailyStats(database.db, "AAPL", 5);
    expect(read).toStrictEqual(DAY);
    expect(Object.keys(read!).sort()).toEqual(schemaKeys(dailyStatSchema));
  });

  it("kpi_snapshots ↔ WindowKpi", async () => {
    await upsertKpiSnapshots(database.db, [WINDOW]);
    const [read] = await listWindowKpis(database.db, "AAPL", 15, { from: TS, to: TS, limit: 5 });
    expect(read).toStrictEqual(WINDOW);
    expect(Object.keys(read!).sort()).toEqual(schemaKeys(windowKpiSchema));
  });

  it("the finality sweep follows isBarFinal at its boundary", async () => {
    const graceMs = 30_000;
    const now = TS + 10 * M;
    const cutoff = computeLastFinalTs(now, graceMs);
    const open = [cutoff, cutoff + 1].map((ts) => ({ ...FACT, symbol: "MSFT", ts, isFinal: false }));
    await upsertFactPrices(database.db, open);
    await finalizeFactPricesUpTo(database.db, cutoff);
    const read = await listFactPrices(database.db, "MSFT", cutoff, cutoff + 1, 10);
    expect(read.map((b) => b.isFinal)).toEqual(open.map((b) => isBarFinal(b, true, now, graceMs)));
    expect(read.map((b) => b.isFinal)).toEqual([true, false]);
  });
});
