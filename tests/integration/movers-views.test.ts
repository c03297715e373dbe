import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listTopMovers, upsertKpiSnapshots } from "@/lib/db/queries/kpi-snapshots";
import { MOVERS_LIMIT, rankMovers, toMoverCandidate } from "@/lib/kpi/movers";
import type { WindowKpi } from "@/lib/kpi/types";

import { connectAsBiRole } from "./bi-helpers";
import { createTestDatabase, runCleanup, type TestDatabase } from "./helpers";
import {
  BASE,
  buildSnapshot,
  expectViewsToMatchRule,
  groupByWindow,
  keyOf,
  M,
  readView,
  toRanking,
  viewKey,
} from "./support/movers-views";

/**
 * The movers views repeat the movers rule of lib/kpi/movers.ts in SQL for BI tools. These tests fill
 * kpi_snapshots and check that `public.top_movers`, `bi.top_movers` and `bi.latest_movers` (read as the
 * BI role) and the list query the dashboard and the worker use give the same gainers and losers as
 * `rankMovers` itself.
 */

/** Windows at the edges of the rule, in the order they become the newest window. */
const SCENARIOS: { name: string; gains: Record<string, number> }[] = [
  {
    name: "ties, zeros and more than 5 of each side",
    gains: {
      AAPL: 1.5,
      "BRK-B": 1.5,
      BRKA: 1.5,
      "BRK.B": 1.5,
      MSFT: 2.25,
      NVDA: 0,
      TSLA: -0,
      AMZN: -0.75,
      META: -0.75,
      GOOG: -3,
      INTC: -0.01,
      AMD: -0.75,
      ORCL: 0.01,
      "^GSPC": -0.75,
      "EURUSD=X": 1.5,
    },
  },
  { name: "every symbol rose", gains: { AAPL: 0.1, AMZN: 0.2, MSFT: 0.3, NVDA: 0.3 } },
  { name: "every symbol fell", gains: { AAPL: -0.1, AMZN: -0.2, MSFT: -0.3, NVDA: -0.3 } },
  { name: "nothing moved", gains: { AAPL: 0, AMZN: 0, MSFT: 0 } },
  { name: "fewer symbols than the limit, one per side", gains: { AMZN: -4, AAPL: 0.5, MSFT: 0 } },
  { name: "a gain that is not a number", gains: { AAPL: Number.NaN, AMZN: -1, MSFT: 1 } },
  {
    name: "infinite gains beside more than 5 finite ones a side",
    gains: {
      AAPL: Number.POSITIVE_INFINITY,
      AMZN: Number.NEGATIVE_INFINITY,
      ...Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`S${i}`, (i % 2 ? -1 : 1) * (1 + (i % 5))]),
      ),
    },
  },
];

describe("the movers views agree with rankMovers and the list queries", () => {
  let database: TestDatabase;
  let bi: pg.Client;
  const written: WindowKpi[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    bi = await connectAsBiRole(database.url);
  });

  afterAll(async () => {
    await runCleanup("closing the BI role's client", () => bi?.end());
    await database?.drop();
  });

  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))(
    "%s: in every view, in listTopMovers and as bi.latest_movers' newest window",
    async (_name, scenario, i) => {
      // The same start for a 5- and a 15-minute window: each length is ranked on its own.
      const start = BASE + i * 15 * M;
      const rows = Object.entries(scenario.gains).flatMap(([symbol, gain]) => [
        buildSnapshot(symbol, 5, start, gain),
        buildSnapshot(symbol, 15, start, -gain),
      ]);
      await upsertKpiSnapshots(database.db, rows);
      written.push(...rows);
      await expectViewsToMatchRule(database, bi, written);

      const latest = groupByWindow(await readView(bi, "bi.latest_movers"), viewKey);
      const newest = [5, 15].map((windowMinutes) => keyOf({ windowMinutes, windowStart: start }));
      for (const key of latest.keys()) expect(newest, "bi.latest_movers holds older windows").toContain(key);
      for (const windowMinutes of [5, 15]) {
        const expected = rankMovers(
          rows.filter((r) => r.windowMinutes === windowMinutes).map(toMoverCandidate),
          MOVERS_LIMIT,
        );
        expect(
          toRanking(latest.get(keyOf({ windowMinutes, windowStart: start })) ?? [], MOVERS_LIMIT),
          `bi.latest_movers, ${windowMinutes} minutes`,
        ).toEqual(expected);
      }
    },
  );

  it("listTopMovers ranks a window listed twice once, and answers each listing", async () => {
    const start = BASE + 100 * 15 * M;
    const rows = Object.entries(SCENARIOS[0]!.gains).map(([symbol, gain]) =>
      buildSnapshot(symbol, 5, start, gain),
    );
    await upsertKpiSnapshots(database.db, rows);
    const window = { windowMinutes: 5, windowStart: start };
    const once = await listTopMovers(database.db, [window], MOVERS_LIMIT);
    expect(once[0]!.gainers).toHaveLength(MOVERS_LIMIT);
    expect(await listTopMovers(database.db, [window, { ...window }], MOVERS_LIMIT)).toEqual([
      once[0],
      once[0],
    ]);
  });

  it("the first scenario ranks as the rule says (a hand-checked case)", () => {
    const [first] = SCENARIOS;
    const r = rankMovers(
      Object.entries(first!.gains).map(([symbol, gainPct]) => ({
        symbol,
        gainPct,
        lastClose: 1,
        totalVolume: 1,
      })),
      5,
    );
    expect(r.gainers.map((m) => m.symbol)).toEqual(["MSFT", "AAPL", "BRK-B", "BRK.B", "BRKA"]);
    expect(r.losers.map((m) => m.symbol)).toEqual(["GOOG", "AMD", "AMZN", "META", "^GSPC"]);
  });
});
