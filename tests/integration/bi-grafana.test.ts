import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import type pg from "pg";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  connectAsBiRole,
  expandGrafanaSql,
  fillWithRecordedBars,
  type GrafanaDashboard,
  type GrafanaPanel,
  type GrafanaQueryContext,
  parseGrafanaInterval,
  type RecordedFill,
} from "./bi-helpers";
import { createTestDatabase, runCleanup, type TestDatabase } from "./helpers";
import { getLatestWindowStart, listTopMovers } from "@/lib/db/queries/kpi-snapshots";
import { computeTradingDate } from "@/lib/kpi/trading-day";
import type { Mover } from "@/lib/kpi/types";

const DASHBOARD_FILE = path.resolve("bi/grafana/dashboards/tickstream.json");
const DATASOURCE_FILE = path.resolve("bi/grafana/provisioning/datasources/tickstream.yaml");
const dashboardText = readFileSync(DASHBOARD_FILE, "utf8");
const dashboard = JSON.parse(dashboardText) as GrafanaDashboard;
const variables = dashboard.templating?.list ?? [];
const queryPanels = dashboard.panels.filter((p) => (p.targets ?? []).length > 0);
/** The recorded symbols the test replays; the $symbol selection is two of them. */
const SYMBOLS = ["AAPL", "MSFT", "NVDA"];
const NY = "America/New_York";

describe("Grafana macro expansion (helper)", () => {
  const ctx: GrafanaQueryContext = {
    from: new Date("2026-03-12T13:30:00Z"),
    to: new Date("2026-03-13T20:00:00.250Z"),
    interval: "5m",
    values: { symbol: ["AAPL", "O'NEIL"], window: ["15"] },
    variables: [
      { name: "symbol", type: "query", multi: true },
      { name: "window", type: "custom" },
    ],
  };

  it("expands the time macros like Grafana's PostgreSQL data source (RFC 3339, UTC)", () => {
    expect(expandGrafanaSql("WHERE $__timeFilter(ts)", ctx)).toBe(
      "WHERE ts BETWEEN '2026-03-12T13:30:00Z' AND '2026-03-13T20:00:00.25Z'",
    );
    expect(expandGrafanaSql("$__timeFrom() < x AND x < $__timeTo()", ctx)).toBe(
      "'2026-03-12T13:30:00Z' < x AND x < '2026-03-13T20:00:00.25Z'",
    );
    expect(expandGrafanaSql("$__time(ts), $__timeEpoch(ts)", ctx)).toBe(
      `ts AS "time", extract(epoch from ts) as "time"`,
    );
  });

  it("groups by $__timeGroup / $__timeGroupAlias with a literal or $__interval", () => {
    expect(expandGrafanaSql("$__timeGroup(ts,'1m')", ctx)).toBe("floor(extract(epoch from ts)/60)*60");
    expect(expandGrafanaSql("$__timeGroupAlias(ts, '5m')", ctx)).toBe(
      `floor(extract(epoch from ts)/300)*300 AS "time"`,
    );
    expect(expandGrafanaSql("$__timeGroupAlias(ts, $__interval)", ctx)).toBe(
      `floor(extract(epoch from ts)/300)*300 AS "time"`,
    );
    expect(expandGrafanaSql("$__interval_ms", ctx)).toBe("300000");
  });

  it("expands the epoch macros", () => {
    expect(expandGrafanaSql("$__unixEpochFilter(t)", ctx)).toBe("t >= 1773322200 AND t <= 1773432000");
    expect(expandGrafanaSql("$__unixEpochFrom()-$__unixEpochTo()", ctx)).toBe("1773322200-1773432000");
    expect(expandGrafanaSql("$__unixEpochGroupAlias(t, 1h)", ctx)).toBe(`floor((t)/3600)*3600 AS "time"`);
  });

  it("quotes multi-value variables as a list and leaves single-value ones raw", () => {
    expect(
      expandGrafanaSql("symbol IN ($symbol) AND w = $window AND v = ${window} AND [[window]] > 0", ctx),
    ).toBe("symbol IN ('AAPL','O''NEIL') AND w = 15 AND v = 15 AND 15 > 0");
  });

  it("fails on an unknown macro or variable, as Grafana fails the query", () => {
    expect(() => expandGrafanaSql("$__timeFiltr(ts)", ctx)).toThrow(/undefined macro/);
    expect(() => expandGrafanaSql("x = $nope", ctx)).toThrow(/unknown template variable/);
    expect(() => expandGrafanaSql("$__timeGroup(ts)", ctx)).toThrow(/needs 2/);
  });
});

describe("the provisioned Grafana dashboard (bi/grafana/dashboards/tickstream.json)", () => {
  it("has a panel per KPI, each querying the provisioned data source with raw SQL on the bi views", () => {
    const datasourceYaml = readFileSync(DATASOURCE_FILE, "utf8");
    const uid = /^\s+uid:\s*([\w-]+)/m.exec(datasourceYaml)?.[1];
    expect(uid).toBe("tickstream-bi");
    expect(/^\s+type:\s*grafana-postgresql-datasource\s*$/m.test(datasourceYaml)).toBe(true);
    expect(/^\s+user:\s*tickstream_bi\s*$/m.test(datasourceYaml)).toBe(true);

    const views = new Set<string>();
    for (const panel of queryPanels) {
      for (const target of panel.targets ?? []) {
        expect(target.datasource, `${panel.title}: datasource`).toEqual({
          type: "grafana-postgresql-datasource",
          uid,
        });
        expect(["time_series", "table"], `${panel.title}: format`).toContain(target.format);
        for (const match of target.rawSql.matchAll(/\b(?:from|join)\s+([\w.]+)/gi)) views.add(match[1]!);
      }
    }
    // Every query reads the bi views only (the role could not read anything else anyway).
    expect([...views].sort()).toEqual([
      "bi.daily_high_low",
      "bi.pipeline_freshness",
      "bi.price_trend",
      "bi.top_movers",
      "bi.volume_trend",
      "bi.window_kpis",
    ]);
    expect(queryPanels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        "Price with MA 5 and MA 20",
        "Volume",
        "Daily high vs low",
        "Top gainers (newest $window-minute window)",
        "Top losers (newest $window-minute window)",
        "Window KPIs ($window-minute windows)",
        "Pipeline freshness by symbol",
      ]),
    );
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it("type-checks against @grafana/schema: the Dashboard kind and each panel plugin's Options / FieldConfig", () => {
    try {
      createRequire(import.meta.url).resolve("@grafana/schema/package.json");
    } catch {
      throw new Error(
        "@grafana/schema is not installed: it is a devDependency of this check (npm install -D @grafana/schema@13.2.3)",
      );
    }
    const check = typecheckDashboards({
      "dashboard.ts": dashboardText,
      // Controls: the check must reject what Grafana's schema rejects.
      "misspelt-option.ts": dashboardText.replace('"tooltip": {', '"tooltipp": {'),
      "bad-enum.ts": dashboardText.replace('"drawStyle": "bars"', '"drawStyle": "columns"'),
      "missing-required.ts": dashboardText.replace(/"schemaVersion": \d+,/, ""),
    });
    expect(check["dashboard.ts"]).toEqual([]);
    expect(check["misspelt-option.ts"]?.join("\n")).toMatch(/tooltipp/);
    expect(check["bad-enum.ts"]?.join("\n")).toMatch(/columns/);
    expect(check["missing-required.ts"]?.join("\n")).toMatch(/schemaVersion/);
  });
});

describe("every Grafana panel query, as tickstream_bi, on real replayed bars", () => {
  let database: TestDatabase;
  let bi: pg.Client;
  let fill: RecordedFill;

  beforeAll(async () => {
    database = await createTestDatabase();
    fill = await fillWithRecordedBars(database.db, { symbols: SYMBOLS, days: 2 });
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

/**
 * Type-checks dashboard JSON texts against the types Grafana generates from its CUE schema
 * (@grafana/schema): the classic Dashboard kind that file provisioning loads, with each panel's
 * `options` and `fieldConfig.defaults.custom` typed by its plugin's published panelcfg types. Enum
 * members are compared by their JSON values. Returns the diagnostics per file, with JSON line numbers.
 */
function typecheckDashboards(jsonByFile: Record<string, string>): Record<string, string[]> {
  const dir = path.resolve("bi/grafana/.typecheck");
  const header = [
    `import type { Dashboard, FieldConfig, FieldConfigSource, Panel } from "@grafana/schema";`,
    `import type * as BarGauge from "@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen";`,
    `import type * as Stat from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";`,
    `import type * as Table from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";`,
    `import type * as TimeSeries from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";`,
    // JSON holds an enum member as its value: "multi" for TooltipDisplayMode.Multi.
    `type Json<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;`,
    `type Defaults<C> = Omit<FieldConfig, "custom"> & ([C] extends [never] ? { custom?: never } : { custom?: C });`,
    `type PanelOf<Type extends string, Options, Custom = never> = Omit<Panel, "type" | "options" | "fieldConfig"> & { type: Type; options: Options; fieldConfig: Omit<FieldConfigSource, "defaults"> & { defaults: Defaults<Custom> } };`,
    `type ProvisionedPanel = PanelOf<"timeseries", TimeSeries.Options, TimeSeries.FieldConfig> | PanelOf<"table", Table.Options, Table.FieldConfig> | PanelOf<"bargauge", BarGauge.Options> | PanelOf<"stat", Stat.Options>;`,
    `type ProvisionedDashboard = Omit<Dashboard, "panels"> & { panels: ProvisionedPanel[] };`,
    `export const dashboard = `,
  ];
  const sources = new Map(
    Object.entries(jsonByFile).map(([name, json]) => [
      path.join(dir, name),
      `${header.join("\n")}${json.trimEnd()} satisfies Json<ProvisionedDashboard>;\n`,
    ]),
  );
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = sources.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...sources.keys()], options, host);
  const result: Record<string, string[]> = {};
  for (const [file] of sources) {
    const name = path.basename(file);
    result[name] = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return message;
      const line = d.file.getLineAndCharacterOfPosition(d.start).line - (header.length - 1) + 1;
      return line >= 1 ? `JSON line ${line}: ${message}` : message;
    });
  }
  return result;
}
