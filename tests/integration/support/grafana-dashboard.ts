import { readFileSync } from "node:fs";
import path from "node:path";

import type { GrafanaDashboard } from "../bi-helpers";

// The provisioned Grafana dashboard, as the bi-grafana-*.test.ts files read it.

export const DASHBOARD_FILE = path.resolve("bi/grafana/dashboards/tickstream.json");
export const DATASOURCE_FILE = path.resolve("bi/grafana/provisioning/datasources/tickstream.yaml");
export const dashboardText = readFileSync(DASHBOARD_FILE, "utf8");
export const dashboard = JSON.parse(dashboardText) as GrafanaDashboard;
export const variables = dashboard.templating?.list ?? [];
/** The panels that query the data source. */
export const queryPanels = dashboard.panels.filter((p) => (p.targets ?? []).length > 0);
