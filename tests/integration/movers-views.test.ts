import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listDayMovers, upsertDailyStats } from "@/lib/db/queries/daily-stats";
import { listTopMovers, upsertKpiSnapshots } from "@/lib/db/queries/kpi-snapshots";
import type { KpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { rankMovers, type MoverCandidate, type MoversRanking } from "@/lib/kpi/movers";
import { TRADING_DAY_WINDOW } from "@/lib/kpi/movers-window";
import type { SeriesChanges } from "@/lib/kpi/symbol-series";
import { computeWindowEnd } from "@/lib/kpi/tumbling-window";
import type { DailyStat, Mover, WindowKpi } from "@/lib/kpi/types";
import { buildKpiUpdates, MOVERS_LIMIT, toKpiMessages } from "@/workers/handlers/kpi-updates";

import { connectAsBiRole, fillWithRecordedBars } from "./bi-helpers";
import { createTestDatabase, type TestDatabase } from "./helpers";

/**
 * The movers views repeat the movers rule of lib/kpi/movers.ts in SQL for BI tools. These tests fill
 * kpi_snapshots and daily_stats and check that `public.top_movers`, `bi.top_movers` and
 * `bi.latest_movers` (read as the BI role), the list queries the dashboard and the worker use, the
 * worker's live movers updates, and `rankMovers` itself give the same gainers and losers.
 */

/** What the dashboard and the worker ask for (MOVERS_LIMIT), and "everything" to compare whole views. */
const LIMITS = [5, 1000];

type ViewRow = {
  window_minutes: number;
  window_start: Date;
  symbol: string;
  gain_pct: number;
  last_close: number;
  total_volume: string;
  gainer_rank: string | null;
  loser_rank: string | null;
};

type WindowKey = { windowMinutes: number; windowStart: number };
const keyOf = (w: WindowKey) => `${w.windowMinutes}:${w.windowStart}`;

/** A view's gainers and losers of one window, top `limit` of each, as `Mover`s. */
function toRanking(rows: readonly ViewRow[], limit: number): MoversRanking {
  const side = (rankOf: (r: ViewRow) => string | null): Mover[] =>
    rows
      .flatMap((r) => {
        const rank = rankOf(r);
        return rank === null || Number(rank) > limit ? [] : [{ row: r, rank: Number(rank) }];
      })
      .sort((a, b) => a.rank - b.rank)
      .map(({ row, rank }) => ({
        symbol: row.symbol,
        gainPct: row.gain_pct,
        lastClose: row.last_close,
        totalVolume: Number(row.total_volume),
        rank,
      }));
  return { gainers: side((r) => r.gainer_rank), losers: side((r) => r.loser_rank) };
}

function groupByWindow<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const viewKey = (r: ViewRow) => `${r.window_minutes}:${r.window_start.getTime()}`;
const candidateOf = (w: WindowKpi): MoverCandidate => ({
  symbol: w.symbol,
  gainPct: w.gainPct,
  lastClose: w.lastClose,
  totalVolume: w.totalVolume,
});

/** Every row of a view, through the owner's pool or the BI role's client. */
async function readView(client: pg.Pool | pg.Client, view: string): Promise<ViewRow[]> {
  const { rows } = await (client as pg.Pool).query<ViewRow>(`select * from ${view}`);
  return rows;
}

/**
 * Checks every window of `snapshots` in every view and list query against `rankMovers`. A view row is
 * a gainer or a loser, never both and never neither, so the whole view is the union of the full lists.
 */
async function expectViewsToMatchRule(
  database: TestDatabase,
  bi: pg.Client,
  snapshots: readonly WindowKpi[],
): Promise<void> {
  const byWindow = groupByWindow(snapshots, (s) => keyOf(s));
  const windows = [...byWindow.values()].map(([s]) => ({
    windowMinutes: s!.windowMinutes,
    windowStart: s!.windowStart,
  }));
  const views = {
    "public.top_movers": groupByWindow(await readView(database.db.$client, "public.top_movers"), viewKey),
    "bi.top_movers": groupByWindow(await readView(bi, "bi.top_movers"), viewKey),
  };
  for (const limit of LIMITS) {
    const listed = new Map((await listTopMovers(database.db, windows, limit)).map((r) => [keyOf(r), r]));
    for (const w of windows) {
      const expected = rankMovers(byWindow.get(keyOf(w))!.map(candidateOf), limit);
      const where = `${w.windowMinutes}-minute window at ${new Date(w.windowStart).toISOString()}, limit ${limit}`;
      expect(listed.get(keyOf(w)), `listTopMovers, ${where}`).toEqual({
        ...w,
        windowEnd: computeWindowEnd(w.windowStart, w.windowMinutes),
        ...expected,
      });
      for (const [name, rows] of Object.entries(views))
        expect(toRanking(rows.get(keyOf(w)) ?? [], limit), `${name}, ${where}`).toEqual(expected);
    }
  }
  for (const [name, rows] of Object.entries(views)) {
    const all = windows.flatMap((w) => rows.get(keyOf(w)) ?? []);
    const movers = windows.map((w) => rankMovers(byWindow.get(keyOf(w))!.map(candidateOf), Infinity));
    expect(all.length, `${name}: one row per mover`).toBe(
      movers.reduce((n, r) => n + r.gainers.length + r.losers.length, 0),
    );
    for (const r of all)
      expect((r.gainer_rank === null) !== (r.loser_rank === null), `${name}: ${JSON.stringify(r)}`).toBe(
        true,
      );
  }
}

const M = 60_000;
/** Far after the recorded data, so each scenario below is the newest window while it is checked. */
const BASE = Date.parse("2031-06-02T14:00:00Z");

function snapshot(symbol: string, windowMinutes: number, windowStart: number, gainPct: number): WindowKpi {
  const lastClose = 100 + symbol.length + gainPct;
  return {
    symbol,
    windowMinutes,
    windowStart,
    windowEnd: computeWindowEnd(windowStart, windowMinutes),
    avgPrice: lastClose,
    vwap: lastClose,
    totalVolume: 1000 * symbol.charCodeAt(0),
    gainPct,
    firstOpen: 100,
    lastClose,
    high: lastClose + 1,
    low: 99,
    barCount: windowMinutes,
  };
}

function dayOf(symbol: string, tradeDate: string, changePct: number | null): DailyStat {
  return {
    symbol,
    tradeDate,
    open: 100,
    high: 110,
    low: 90,
    close: 100 + (changePct ?? 0),
    volume: 5000 + symbol.charCodeAt(0),
    prevClose: changePct === null ? null : 100,
    changePct,
    range: 20,
    rangePct: 22.2,
    vwap: 100,
    barCount: 390,
    firstTs: Date.parse(`${tradeDate}T13:30:00Z`),
    lastTs: Date.parse(`${tradeDate}T19:59:00Z`),
  };
}

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
    await bi?.end().catch(() => undefined);
    await database?.drop();
  });

  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))(
    "%s: in every view, in listTopMovers and as bi.latest_movers' newest window",
    async (_name, scenario, i) => {
      // The same start for a 5- and a 15-minute window: each length is ranked on its own.
      const start = BASE + i * 15 * M;
      const rows = Object.entries(scenario.gains).flatMap(([symbol, gain]) => [
        snapshot(symbol, 5, start, gain),
        snapshot(symbol, 15, start, -gain),
      ]);
      await upsertKpiSnapshots(database.db, rows);
      written.push(...rows);
      await expectViewsToMatchRule(database, bi, written);

      const latest = groupByWindow(await readView(bi, "bi.latest_movers"), viewKey);
      const newest = [5, 15].map((windowMinutes) => keyOf({ windowMinutes, windowStart: start }));
      for (const key of latest.keys()) expect(newest, "bi.latest_movers holds older windows").toContain(key);
      for (const windowMinutes of [5, 15]) {
        const expected = rankMovers(
          rows.filter((r) => r.windowMinutes === windowMinutes).map(candidateOf),
          5,
        );
        expect(
          toRanking(latest.get(keyOf({ windowMinutes, windowStart: start })) ?? [], 5),
          `bi.latest_movers, ${windowMinutes} minutes`,
        ).toEqual(expected);
      }
    },
  );

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
    const days = Object.entries(changes).map(([symbol, changePct]) => dayOf(symbol, tradeDate, changePct));
    await upsertDailyStats(database.db, days);
    const expected = rankMovers(
      days.flatMap((d) =>
        d.changePct === null
          ? []
          : [{ symbol: d.symbol, gainPct: d.changePct, lastClose: d.close, totalVolume: d.volume }],
      ),
      5,
    );
    expect(await listDayMovers(database.db, tradeDate, 5)).toEqual(expected);
    expect(expected.gainers.map((m) => m.symbol)).toEqual(["AAPL", "AMZN"]);
    expect(expected.losers.map((m) => m.symbol)).toEqual(["NVDA", "META"]);
  });
  it("the stream worker's live movers updates carry the same rankings, the day's over its exchange-time window", async () => {
    const windowStart = BASE - 60 * M;
    const tradeDate = "2031-05-30";
    const gains: Record<string, number> = { AAPL: 0.4, AMZN: -0.4, MSFT: 0, NVDA: 0.4, TSLA: -1.1, META: 2 };
    const windows = Object.entries(gains).map(([symbol, gain]) => snapshot(symbol, 5, windowStart, gain));
    await upsertKpiSnapshots(database.db, windows);
    const days = windows.map((w) => dayOf(w.symbol, tradeDate, -w.gainPct));
    await upsertDailyStats(database.db, days);
    const changes = new Map<string, SeriesChanges>(
      windows.map((w, i) => [w.symbol, { bars: [], days: [days[i]!], windows: [w] }]),
    );

    const updates = await buildKpiUpdates(database.db, changes, BASE, "America/New_York");
    const movers = toKpiMessages(updates)
      .map((m) => m.value as KpiUpdateV1)
      .filter((u) => u.type === "movers");
    expect(movers).toEqual([
      {
        v: 1,
        type: "movers",
        windowMinutes: 5,
        windowStart,
        windowEnd: computeWindowEnd(windowStart, 5),
        ...rankMovers(windows.map(candidateOf), MOVERS_LIMIT),
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
          days.map((d) => ({
            symbol: d.symbol,
            gainPct: d.changePct!,
            lastClose: d.close,
            totalVolume: d.volume,
          })),
          MOVERS_LIMIT,
        ),
        publishedAt: BASE,
      },
    ]);
  });
});

describe("the movers views agree with rankMovers on real replayed bars", () => {
  let database: TestDatabase;
  let bi: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await fillWithRecordedBars(database.db, { symbols: ["AAPL", "MSFT", "NVDA", "SPY", "TSLA"], days: 2 });
    bi = await connectAsBiRole(database.url);
  });

  afterAll(async () => {
    await bi?.end().catch(() => undefined);
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
      ...snapshot(r.symbol, r.window_minutes, r.window_start.getTime(), r.gain_pct),
      lastClose: r.last_close,
      totalVolume: Number(r.total_volume),
    }));
    expect(new Set(snapshots.map((s) => s.windowMinutes))).toEqual(new Set([5, 15, 60]));
    await expectViewsToMatchRule(database, bi, snapshots);
  });
});
