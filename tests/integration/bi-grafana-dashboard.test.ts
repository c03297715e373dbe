import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

import { expandGrafanaSql, type GrafanaQueryContext } from "./bi-helpers";
import { DATASOURCE_FILE, dashboard, dashboardText, queryPanels } from "./support/grafana-dashboard";
import { typecheckDashboards } from "./support/grafana-schema";

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
      "bi.alert_events",
      "bi.daily_high_low",
      "bi.pipeline_freshness",
      "bi.price_trend",
      "bi.top_movers",
      "bi.volume_trend",
      "bi.webhook_deliveries",
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
        "Alerts ($symbol)",
        "Active alerts by rule",
        "Webhook deliveries by endpoint",
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
