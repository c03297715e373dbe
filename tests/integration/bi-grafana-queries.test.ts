import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getLatestWindowStart, listTopMovers } from "@/lib/db/queries/kpi-snapshots";
import { computeTradingDate } from "@/lib/kpi/trading-day";
import type { Mover } from "@/lib/kpi/types";

import {
  connectAsBiRole,
  expandGrafanaSql,
  fillWithRecordedBars,
  type GrafanaPanel,
  type GrafanaQueryContext,
  parseGrafanaInterval,
  type RecordedFill,
} from "./bi-helpers";
import { createTestDatabase, runCleanup, type TestDatabase } from "./helpers";
import { BI_ALERT_RULES, insertBiWebhookEndpoint, settleBiDeliveries } from "./support/bi-alerts";
import { queryPanels, variables } from "./support/grafana-dashboard";

/** The recorded symbols the test replays; the $symbol selection is two of them. */
const SYMBOLS = ["AAPL", "MSFT", "NVDA"];
const NY = "America/New_York";

describe("every Grafana panel query, as tickstream_bi, on real replayed bars", () => {
  let database: TestDatabase;
  let bi: pg.Client;
  let fill: RecordedFill;

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertBiWebhookEndpoint(database.db);
    fill = await fillWithRecordedBars(database.db, { symbols: SYMBOLS, days: 2, alertRules: BI_ALERT_RULES });
    await settleBiDeliveries(database.db);
    bi = await connectAsBiRole(database.url);
  });

  afterAll(async () => {
    await runCleanup("closing the BI role's client", () => bi?.end());
    await database?.drop();
  });

  /** The dashboard as a user would open it on the test data: its range, $symbol = AAPL and MSFT, $window = 15. */
  function contextFor(panel: GrafanaPanel): GrafanaQueryContext {
    // Grafana's $__interval never goes below the panel's min interval nor the data source's 1m.
    const interval = panel.interval && parseGrafanaInterval(panel.interval) > 60 ? panel.interval : "1m";
    return {
      from: new Date(fill.from),
      to: new Date(fill.to),
      interval,
      values: { symbol: ["AAPL", "MSFT"], window: ["15"] },
      variables,
    };
  }

  it("the $symbol variable's query lists the symbols", async () => {
    const symbolVariable = variables.find((v) => v.name === "symbol");
    expect(typeof symbolVariable?.query).toBe("string");
    const { rows } = await bi.query<{ symbol: string }>(symbolVariable!.query as string);
    expect(rows.map((r) => r.symbol)).toEqual(SYMBOLS);
  });

  it.each(queryPanels.map((p) => [p.title, p] as const))("%s returns rows", async (_title, panel) => {
    for (const target of panel.targets ?? []) {
      const sql = expandGrafanaSql(target.rawSql, contextFor(panel));
      const result = await bi.query<Record<string, unknown>>(sql);
      expect(result.rows.length, sql).toBeGreaterThan(0);
      const fields = result.fields.map((f) => f.name);
      if (target.format === "time_series")
        expect(fields[0], "time series queries start with the time column").toBe("time");
      const valueFields = fields.filter((f) => !["time", "metric", "symbol"].includes(f));
      for (const row of result.rows)
        expect(
          valueFields.some((f) => row[f] !== null),
          `a row with values only null: ${JSON.stringify(row)}`,
        ).toBe(true);
    }
  });

  it("the per-symbol panels return only the selected symbols", async () => {
    const price = queryPanels.find((p) => p.title.startsWith("Price"))!;
    const { rows } = await bi.query<{ metric: string }>(
      expandGrafanaSql(price.targets![0]!.rawSql, contextFor(price)),
    );
    expect([...new Set(rows.map((r) => r.metric))].sort()).toEqual(["AAPL", "MSFT"]);
  });

  it("the movers panels show the newest window's gainers and losers as the dashboard ranks them (rankMovers)", async () => {
    const windowMinutes = 15;
    const newest = await getLatestWindowStart(database.db, windowMinutes);
    const [ranking] = await listTopMovers(database.db, [{ windowMinutes, windowStart: newest! }], 5);
    const panelRows = async (prefix: string) => {
      const panel = queryPanels.find((p) => p.title.startsWith(prefix))!;
      const { rows } = await bi.query<{ symbol: string; gain_pct: number }>(
        expandGrafanaSql(panel.targets![0]!.rawSql, contextFor(panel)),
      );
      return rows;
    };
    const shown = (movers: Mover[]) => movers.map(({ symbol, gainPct }) => ({ symbol, gain_pct: gainPct }));
    expect(await panelRows("Top gainers")).toEqual(shown(ranking!.gainers));
    expect(await panelRows("Top losers")).toEqual(shown(ranking!.losers));
    // The replayed window has symbols on both sides, so both panels are exercised.
    expect(ranking!.gainers.length).toBeGreaterThan(0);
    expect(ranking!.losers.length).toBeGreaterThan(0);
  });

  it("line panels break over closed-market hours and stay connected through a session (insertNulls)", async () => {
    const linePanels = queryPanels.filter(
      (p) => p.type === "timeseries" && p.fieldConfig?.defaults?.custom?.drawStyle === "line",
    );
    // Daily points are a day apart by design: only intraday panels have sessions to keep apart.
    const intraday = linePanels.filter((p) => parseGrafanaInterval(p.interval ?? "1m") < 86_400);
    expect(intraday.map((p) => p.title)).toEqual(["Price with MA 5 and MA 20"]);
    for (const panel of intraday) {
      const custom = panel.fieldConfig!.defaults!.custom!;
      expect(custom.spanNulls, `${panel.title}: spanNulls`).toBe(false);
      const threshold = custom.insertNulls;
      expect(typeof threshold, `${panel.title}: insertNulls is a gap threshold in ms`).toBe("number");
      // From the panel's own interval up to the coarse one Grafana picks for weeks of range.
      const gaps: { sameDay: boolean; ms: number }[] = [];
      for (const interval of [contextFor(panel).interval, "15m", "1h"]) {
        const { rows } = await bi.query<{ time: string | number; metric: string }>(
          expandGrafanaSql(panel.targets![0]!.rawSql, { ...contextFor(panel), interval }),
        );
        for (const metric of new Set(rows.map((r) => r.metric))) {
          const times = rows.filter((r) => r.metric === metric).map((r) => Number(r.time) * 1000);
          for (let i = 1; i < times.length; i++)
            gaps.push({
              sameDay: computeTradingDate(times[i - 1]!, NY) === computeTradingDate(times[i]!, NY),
              ms: times[i]! - times[i - 1]!,
            });
        }
      }
      const inSession = gaps.filter((g) => g.sameDay).map((g) => g.ms);
      const overnight = gaps.filter((g) => !g.sameDay).map((g) => g.ms);
      expect(overnight.length, `${panel.title}: the data spans a night`).toBeGreaterThan(0);
      expect(Math.max(...inSession), `${panel.title}: a session is drawn as one line`).toBeLessThanOrEqual(
        threshold as number,
      );
      expect(Math.min(...overnight), `${panel.title}: closed hours are a gap`).toBeGreaterThan(
        threshold as number,
      );
    }
  });
});
