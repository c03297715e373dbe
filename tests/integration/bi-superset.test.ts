import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getLatestWindowStart, listTopMovers } from "@/lib/db/queries/kpi-snapshots";

import { BI_VIEWS, connectAsBiRole, fillWithRecordedBars } from "./bi-helpers";
import { createTestDatabase, runCleanup, type TestDatabase } from "./helpers";
import { BI_ALERT_RULES, insertBiWebhookEndpoint, settleBiDeliveries } from "./support/bi-alerts";

/**
 * The Superset bundle without a Superset (scripts/bi/superset-check.sh runs the real one): each chart's
 * saved query, run as tickstream_bi the way Superset's SQL builder runs a raw-mode table, and the
 * post-processing of its time-series charts.
 */

const BUNDLE_DIR = path.resolve("bi/superset/bundle");
/** Every recorded symbol: with fewer, the newest hour of the recording has no riser at all. */
const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "MSFT", "NVDA", "QQQ", "SPY", "TSLA"];

type SupersetFilter = { col: string; op: string; val: unknown };
type SupersetQuery = {
  filters: SupersetFilter[];
  extras: { where?: string; having?: string };
  columns: unknown[];
  metrics: unknown[];
  orderby: [string, boolean][];
  row_limit: number;
  post_processing: { operation: string; options?: Record<string, unknown> }[];
};
type QueryContext = { queries: SupersetQuery[]; form_data: Record<string, unknown> };
type Chart = {
  file: string;
  sliceName: string;
  vizType: string;
  datasetUuid: string;
  params: { timeGrain?: string };
  queryContext: QueryContext;
};
type Dataset = { uuid: string; schema: string; table: string };

/**
 * Top-level `key: value` scalars of an exported Superset YAML file (the bundle writes every field this
 * test reads on one line: plain, single-quoted with '' for a quote, or double-quoted).
 */
function readTopLevelScalars(file: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([a-z_]+): (.+)$/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    const value = raw.startsWith("'")
      ? raw.slice(1, -1).replace(/''/g, "'")
      : raw.startsWith('"')
        ? (JSON.parse(raw) as string)
        : raw;
    values.set(match[1]!, value);
  }
  return values;
}

function loadBundle(): { charts: Chart[]; datasets: Map<string, Dataset> } {
  const datasetDir = path.join(BUNDLE_DIR, "datasets/Tickstream_BI");
  const datasets = new Map(
    readdirSync(datasetDir).map((name) => {
      const v = readTopLevelScalars(path.join(datasetDir, name));
      const dataset = { uuid: v.get("uuid")!, schema: v.get("schema")!, table: v.get("table_name")! };
      return [dataset.uuid, dataset] as const;
    }),
  );
  const chartDir = path.join(BUNDLE_DIR, "charts");
  const charts = readdirSync(chartDir).map((name): Chart => {
    const file = path.join(chartDir, name);
    const v = readTopLevelScalars(file);
    const grain = /^ {2}time_grain_sqla: (\S+)$/m.exec(readFileSync(file, "utf8"))?.[1];
    return {
      file: name,
      sliceName: v.get("slice_name")!,
      vizType: v.get("viz_type")!,
      datasetUuid: v.get("dataset_uuid")!,
      params: { timeGrain: grain },
      queryContext: JSON.parse(v.get("query_context")!) as QueryContext,
    };
  });
  return { charts, datasets };
}

const SQL_OPERATORS: Record<string, string> = {
  "==": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

/** The SQL Superset runs for a raw-mode table chart's query (columns, filters, order, row limit). */
function toSql(query: SupersetQuery, dataset: Dataset): string {
  expect(query.metrics, "raw mode: no metrics").toEqual([]);
  expect([query.extras.where ?? "", query.extras.having ?? ""]).toEqual(["", ""]);
  const literal = (value: unknown) => (typeof value === "number" ? String(value) : `'${String(value)}'`);
  const conditions = query.filters.flatMap((f) => {
    if (f.op === "TEMPORAL_RANGE" && f.val === "No filter") return [];
    const op = SQL_OPERATORS[f.op];
    if (!op) throw new Error(`filter operator ${f.op} is not translated by this test`);
    return [`"${f.col}" ${op} ${literal(f.val)}`];
  });
  const columns = query.columns.map((c) => {
    if (typeof c !== "string") throw new Error(`raw mode selects plain columns, not ${JSON.stringify(c)}`);
    return `"${c}"`;
  });
  return [
    `SELECT ${columns.join(", ")} FROM "${dataset.schema}"."${dataset.table}"`,
    conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "",
    query.orderby.length > 0
      ? `ORDER BY ${query.orderby.map(([col, asc]) => `"${col}" ${asc ? "ASC" : "DESC"}`).join(", ")}`
      : "",
    `LIMIT ${query.row_limit}`,
  ].join(" ");
}

/** Pandas resample rule of a Superset time grain, for the grains the bundle uses. */
const RULE_OF_GRAIN: Record<string, string> = { PT1M: "1T", PT15M: "15T", PT1H: "1H" };

const { charts, datasets } = loadBundle();
const datasetOf = (chart: Chart) => datasets.get(chart.datasetUuid)!;
const tableCharts = charts.filter((c) => c.vizType === "table");
const moversCharts = tableCharts.filter((c) => /^Top (gainers|losers)/.test(c.sliceName));

describe("the Superset bundle (bi/superset/bundle)", () => {
  it("builds every chart on a dataset of the bundle that is a documented bi view", () => {
    for (const chart of charts) {
      const dataset = datasets.get(chart.datasetUuid);
      expect(dataset, `${chart.file}: dataset ${chart.datasetUuid}`).toBeDefined();
      expect(dataset!.schema).toBe("bi");
      expect(BI_VIEWS).toContain(dataset!.table);
    }
    expect(moversCharts.map((c) => c.sliceName).sort()).toEqual([
      "Top gainers (latest 60-minute window)",
      "Top losers (latest 60-minute window)",
    ]);
  });

  it("turns missing minutes into gaps in intraday line charts, so closed-market hours are not bridged", () => {
    const intradayLines = charts.filter(
      (c) => c.vizType === "echarts_timeseries_line" && c.params.timeGrain !== "P1D",
    );
    expect(intradayLines.map((c) => c.sliceName)).toEqual(["Price trend with MA 5 and MA 20"]);
    for (const chart of intradayLines) {
      const [query] = chart.queryContext.queries;
      const operations = query!.post_processing.map((p) => p.operation);
      // Superset's buildQuery order: pivot, then resample, then flatten.
      expect(operations, chart.file).toEqual(["pivot", "resample", "flatten"]);
      expect(query!.post_processing[1]!.options, chart.file).toEqual({
        method: "asfreq",
        rule: RULE_OF_GRAIN[chart.params.timeGrain!],
        fill_value: null,
      });
      expect(chart.queryContext.form_data).toMatchObject({
        resample_method: "asfreq",
        resample_rule: RULE_OF_GRAIN[chart.params.timeGrain!],
      });
    }
  });
});

describe("the Superset table charts, as tickstream_bi, on real replayed bars", () => {
  let database: TestDatabase;
  let bi: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertBiWebhookEndpoint(database.db);
    await fillWithRecordedBars(database.db, { symbols: SYMBOLS, days: 2, alertRules: BI_ALERT_RULES });
    await settleBiDeliveries(database.db);
    bi = await connectAsBiRole(database.url);
  });

  afterAll(async () => {
    await runCleanup("closing the BI role's client", () => bi?.end());
    await database?.drop();
  });

  // Superset marks "row limit reached" when a query returns row_limit rows or more (RowCountLabel).
  it.each(tableCharts.map((c) => [c.sliceName, c] as const))(
    "%s returns rows below its row limit",
    async (_name, chart) => {
      const [query] = chart.queryContext.queries;
      const { rows } = await bi.query(toSql(query!, datasetOf(chart)));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThan(query!.row_limit);
    },
  );

  it("the movers charts list the dashboard's gainers and losers of the newest 60-minute window", async () => {
    const windowStart = await getLatestWindowStart(database.db, 60);
    const [ranking] = await listTopMovers(database.db, [{ windowMinutes: 60, windowStart: windowStart! }], 5);
    for (const [prefix, rankColumn, expected] of [
      ["Top gainers", "gainer_rank", ranking!.gainers],
      ["Top losers", "loser_rank", ranking!.losers],
    ] as const) {
      const chart = moversCharts.find((c) => c.sliceName.startsWith(prefix))!;
      const { rows } = await bi.query<Record<string, unknown>>(
        toSql(chart.queryContext.queries[0]!, datasetOf(chart)),
      );
      expect(
        rows.map((r) => ({ rank: Number(r[rankColumn]), symbol: r.symbol, gainPct: r.gain_pct })),
        chart.sliceName,
      ).toEqual(expected.map(({ rank, symbol, gainPct }) => ({ rank, symbol, gainPct })));
      expect(rows.every((r) => (r.window_start as Date).getTime() === windowStart)).toBe(true);
    }
    // The replayed window has risers and fallers, so both charts are exercised.
    expect(ranking!.gainers.length).toBeGreaterThan(0);
    expect(ranking!.losers.length).toBeGreaterThan(0);
  });
});
