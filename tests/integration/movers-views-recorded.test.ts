import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { connectAsBiRole, fillWithRecordedBars } from "./bi-helpers";
import { createTestDatabase, runCleanup, type TestDatabase } from "./helpers";
import { buildSnapshot, expectViewsToMatchRule } from "./support/movers-views";

describe("the movers views agree with rankMovers on real replayed bars", () => {
  let database: TestDatabase;
  let bi: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await fillWithRecordedBars(database.db, { symbols: ["AAPL", "MSFT", "NVDA", "SPY", "TSLA"], days: 2 });
    bi = await connectAsBiRole(database.url);
  });

  afterAll(async () => {
    await runCleanup("closing the BI role's client", () => bi?.end());
    await database?.drop();
  });

  it("in every window the stream worker wrote, of every length", async () => {
    const { rows } = await database.db.$client.query<{
      symbol: string;
      window_minutes: number;
      window_start: Date;
      gain_pct: number;
      last_close: number;
      total_volume: string;
    }>("select symbol, window_minutes, window_start, gain_pct, last_close, total_volume from kpi_snapshots");
    const snapshots = rows.map((r) => ({
      ...buildSnapshot(r.symbol, r.window_minutes, r.window_start.getTime(), r.gain_pct),
      lastClose: r.last_close,
      totalVolume: Number(r.total_volume),
    }));
    expect(new Set(snapshots.map((s) => s.windowMinutes))).toEqual(new Set([5, 15, 60]));
    await expectViewsToMatchRule(database, bi, snapshots);
  });
});
