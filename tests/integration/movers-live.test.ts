import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listDayMovers, upsertDailyStats } from "@/lib/db/queries/daily-stats";
import { upsertKpiSnapshots } from "@/lib/db/queries/kpi-snapshots";
import { MOVERS_LIMIT, rankMovers, toDayMoverCandidate, toMoverCandidate } from "@/lib/kpi/movers";
import { TRADING_DAY_WINDOW } from "@/lib/kpi/movers-window";
import type { SeriesChanges } from "@/lib/kpi/symbol-series";
import { computeWindowEnd } from "@/lib/kpi/tumbling-window";
import {
  addTouchedRankings,
  buildMoversUpdates,
  createTouchedRankings,
  toKpiMessages,
} from "@/workers/handlers/kpi-updates";

import { createTestDatabase, type TestDatabase } from "./helpers";
import { BASE, buildDay, buildSnapshot, M } from "./support/movers-views";

/** The trading day's movers query and the stream worker's live movers updates follow `rankMovers`. */
describe("day movers and live movers updates", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("listDayMovers ranks a trading day's change % by the same rule, without days lacking a previous close", async () => {
    const tradeDate = "2031-06-02";
    const changes: Record<string, number | null> = {
      AAPL: 1.2,
      AMZN: 1.2,
      MSFT: 0,
      NVDA: -2.5,
      TSLA: null,
      META: -0.4,
    };
    const days = Object.entries(changes).map(([symbol, changePct]) => buildDay(symbol, tradeDate, changePct));
    await upsertDailyStats(database.db, days);
    const expected = rankMovers(
      days.flatMap((d) => toDayMoverCandidate(d) ?? []),
      MOVERS_LIMIT,
    );
    expect(await listDayMovers(database.db, tradeDate, MOVERS_LIMIT)).toEqual(expected);
    expect(expected.gainers.map((m) => m.symbol)).toEqual(["AAPL", "AMZN"]);
    expect(expected.losers.map((m) => m.symbol)).toEqual(["NVDA", "META"]);
  });
  it("listDayMovers keeps the rule past the limit: ties at the cut, infinite and NaN changes, other days", async () => {
    const tradeDate = "2031-06-03";
    const changes: Record<string, number | null> = {
      AAPL: Number.POSITIVE_INFINITY,
      AMZN: Number.NEGATIVE_INFINITY,
      MSFT: Number.NaN,
      TSLA: null,
      ...Object.fromEntries(
        Array.from({ length: 16 }, (_, i) => [
          `S${String(i).padStart(2, "0")}`,
          (i % 2 ? -1 : 1) * (1 + (i % 4)),
        ]),
      ),
    };
    const days = Object.entries(changes).map(([symbol, changePct]) => buildDay(symbol, tradeDate, changePct));
    // Bigger moves a day later: they must not enter this day's ranking.
    await upsertDailyStats(database.db, [
      ...days,
      buildDay("S00", "2031-06-04", 50),
      buildDay("S01", "2031-06-04", -50),
    ]);
    const expected = rankMovers(
      days.flatMap((d) => toDayMoverCandidate(d) ?? []),
      MOVERS_LIMIT,
    );
    expect(await listDayMovers(database.db, tradeDate, MOVERS_LIMIT)).toEqual(expected);
    expect(expected.gainers).toHaveLength(MOVERS_LIMIT);
    expect(expected.losers).toHaveLength(MOVERS_LIMIT);
  });
  it("the stream worker's live movers updates carry the same rankings, the day's over its exchange-time window", async () => {
    const windowStart = BASE - 60 * M;
    const tradeDate = "2031-05-30";
    const gains: Record<string, number> = { AAPL: 0.4, AMZN: -0.4, MSFT: 0, NVDA: 0.4, TSLA: -1.1, META: 2 };
    const windows = Object.entries(gains).map(([symbol, gain]) =>
      buildSnapshot(symbol, 5, windowStart, gain),
    );
    await upsertKpiSnapshots(database.db, windows);
    const days = windows.map((w) => buildDay(w.symbol, tradeDate, -w.gainPct));
    await upsertDailyStats(database.db, days);
    const changes = new Map<string, SeriesChanges>(
      windows.map((w, i) => [w.symbol, { bars: [], days: [days[i]!], windows: [w] }]),
    );

    const touched = createTouchedRankings();
    addTouchedRankings(touched, changes, null);
    const updates = await buildMoversUpdates(database.db, touched, () => BASE, "America/New_York");
    const movers = toKpiMessages(updates).map((m) => m.value);
    expect(movers).toEqual([
      {
        v: 1,
        type: "movers",
        windowMinutes: 5,
        windowStart,
        windowEnd: computeWindowEnd(windowStart, 5),
        ...rankMovers(windows.map(toMoverCandidate), MOVERS_LIMIT),
        publishedAt: BASE,
      },
      {
        v: 1,
        type: "movers",
        windowMinutes: TRADING_DAY_WINDOW,
        // 2031-05-30 is a summer day in New York: it starts at 04:00 UTC.
        windowStart: Date.parse("2031-05-30T04:00:00Z"),
        windowEnd: Date.parse("2031-05-31T04:00:00Z"),
        ...rankMovers(
          days.flatMap((d) => toDayMoverCandidate(d) ?? []),
          MOVERS_LIMIT,
        ),
        publishedAt: BASE,
      },
    ]);
  });
});
