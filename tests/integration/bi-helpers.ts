import path from "node:path";

import pg from "pg";
import { inject } from "vitest";

import type { Db } from "@/lib/db/client";
import { insertAlertRule } from "@/lib/db/queries/alert-rules";
import { insertSymbols } from "@/lib/db/queries/symbols";
import type { AlertRuleInput } from "@/lib/events/alert-rule";
import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import type { InMessage } from "@/lib/kafka/messages";
import type { Bar } from "@/lib/kpi/types";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";
import { startAlertRuntime } from "@/workers/stream/alert-runtime";

import { DEFAULT_STREAM_SYMBOL_SETTINGS, testLogger } from "./helpers";

export const BI_ROLE = "tickstream_bi";

/** The views of the `bi` schema, the interface documented in bi/README.md. */
export const BI_VIEWS = [
  "alert_events",
  "daily_high_low",
  "dead_letters",
  "latest_movers",
  "pipeline_freshness",
  "price_trend",
  "top_movers",
  "volume_trend",
  "webhook_deliveries",
  "window_kpis",
] as const;

/** The BI role's password as the global setup set it (the private cluster's, or BI_READONLY_PASSWORD). */
export function getBiPassword(): string {
  const password = inject("biPassword");
  if (!password) throw new Error("set BI_READONLY_PASSWORD: the BI role has no known password");
  return password;
}

/** A client connected to `databaseUrl`'s database as the read-only BI role (same host and port). */
export async function connectAsBiRole(databaseUrl: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  url.username = BI_ROLE;
  url.password = encodeURIComponent(getBiPassword());
  const client = new pg.Client({ connectionString: url.toString(), application_name: "tickstream-bi-test" });
  await client.connect();
  return client;
}

/** Runs `sql` and returns the SQLSTATE it failed with, or null when it succeeded. */
export async function getErrorCode(client: pg.Client, sql: string): Promise<string | null> {
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  }
}

export type RecordedFill = { symbols: string[]; from: number; to: number; bars: number };

const RECORDING_DIR = path.resolve("data/minute-bars");

/**
 * Fills a test database with real recorded bars (data/minute-bars) through the stream worker's own
 * batch handler, so fact_prices, daily_stats and kpi_snapshots hold exactly what production writes.
 * Takes the first `days` recorded trading days of each symbol; returns the covered time range.
 */
export async function fillWithRecordedBars(
  db: Db,
  options: {
    symbols: string[];
    days: number;
    /** Evaluates these alert rules on the bars in the same batches, as the stream worker does (bi.alert_events). */
    alertRules?: readonly AlertRuleInput[];
  },
): Promise<RecordedFill> {
  const recorded = loadRecordedBars(RECORDING_DIR);
  for (const rule of options.alertRules ?? []) await insertAlertRule(db, rule);
  await insertSymbols(
    db,
    options.symbols.map((symbol) => ({
      symbol,
      source: "replay" as const,
      status: "active" as const,
      exchangeTimezone: "America/New_York",
      marketState: "replay",
    })),
  );
  const picked = options.symbols.map((symbol) => {
    const bars = recorded.get(symbol);
    if (!bars) throw new Error(`no recording for ${symbol} in ${RECORDING_DIR}`);
    const dates = [...new Set(bars.map((b) => new Date(b.ts).toISOString().slice(0, 10)))].slice(
      0,
      options.days,
    );
    return { symbol, bars: bars.filter((b) => dates.includes(new Date(b.ts).toISOString().slice(0, 10))) };
  });
  const all = picked.flatMap(({ symbol, bars }) => bars.map((bar) => ({ symbol, bar })));
  const from = Math.min(...all.map((x) => x.bar.ts));
  const to = Math.max(...all.map((x) => x.bar.ts)) + 60_000;

  const alerts = options.alertRules
    ? startAlertRuntime({ db, logger: testLogger, clock: () => to + 3_600_000, staleSweepMs: 0 })
    : null;
  const handler = createTickBatchHandler({
    db,
    logger: testLogger,
    clock: () => to + 3_600_000,
    evaluateAlerts: alerts?.evaluate,
    config: {
      groupId: "bi-test",
      windows: [5, 15, 60],
      finalGraceMs: 30_000,
      defaultTimeZone: "America/New_York",
      landRawTicks: false,
      futureToleranceMs: 60_000,
      ...DEFAULT_STREAM_SYMBOL_SETTINGS,
    },
  });
  // One partition in bar order, as the ingest worker would produce it, in batches like kafkajs hands out.
  const messages = all
    .sort((a, b) => a.bar.ts - b.bar.ts || a.symbol.localeCompare(b.symbol))
    .map(({ symbol, bar }, offset) => toTickMessage(symbol, bar, offset));
  const BATCH = 500;
  for (let i = 0; i < messages.length; i += BATCH) {
    const result = await handler.handleBatch({
      topic: "market.ticks",
      partition: 0,
      messages: messages.slice(i, i + BATCH),
    });
    if (result.kind !== "applied")
      throw new Error(`batch at offset ${i} was not applied: ${JSON.stringify(result)}`);
    if (result.deadLettered > 0)
      throw new Error(`unexpected dead letters at offset ${i}: ${result.deadLetterClasses.join(", ")}`);
  }
  await alerts?.stop();
  return { symbols: options.symbols, from, to, bars: messages.length };
}

function toTickMessage(symbol: string, bar: Bar, offset: number): InMessage {
  const tick = { v: 1, symbol, ...bar, source: "replay", producedAt: bar.ts + 60_000 };
  return {
    partition: 0,
    offset,
    key: symbol,
    value: Buffer.from(JSON.stringify(tick)),
    headers: {},
    timestamp: bar.ts + 60_000,
  };
}

// ---- Grafana ------------------------------------------------------------------------------------------

export type GrafanaTarget = {
  refId: string;
  rawSql: string;
  format: string;
  datasource?: { type?: string; uid?: string };
};
export type GrafanaPanel = {
  id: number;
  type: string;
  title: string;
  interval?: string;
  targets?: GrafanaTarget[];
  fieldConfig?: {
    defaults?: { custom?: { drawStyle?: string; spanNulls?: unknown; insertNulls?: unknown } };
  };
};
export type GrafanaVariable = {
  name: string;
  type: string;
  query?: unknown;
  multi?: boolean;
  includeAll?: boolean;
};
export type GrafanaDashboard = {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating?: { list?: GrafanaVariable[] };
};

export type GrafanaQueryContext = {
  /** The dashboard's time range. */
  from: Date;
  to: Date;
  /** Value of $__interval (Grafana's auto interval, at least the panel's min interval), e.g. "1m". */
  interval: string;
  /** Selected values of the dashboard's template variables, by name. */
  values: Record<string, string[]>;
  /** The dashboard's variables, for how Grafana formats their values (multi / include-all → quoted list). */
  variables: readonly GrafanaVariable[];
};

/** Go's RFC 3339 with nanoseconds as Grafana's SQL macros print times: UTC, trailing zeros of the fraction dropped. */
function formatRfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : "Z"));
}

/** Seconds of a Grafana interval ("500ms", "30s", "5m", "1h", "1d", "1w"), as gtime.ParseInterval reads it. */
export function parseGrafanaInterval(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text.trim().replace(/^'|'$/g, ""));
  if (!match) throw new Error(`not a Grafana interval: ${text}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 }[
    match[2] as "ms" | "s" | "m" | "h" | "d" | "w" | "y"
  ];
  return Number(match[1]) * unit;
}

/** How Grafana's SQL data sources interpolate a variable: multi-value or include-all → 'a','b'; otherwise raw. */
function formatVariable(variable: GrafanaVariable | undefined, values: string[]): string {
  if (variable?.multi || variable?.includeAll)
    return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",");
  return values.join(",");
}

/**
 * Expands a panel's rawSql the way Grafana does for PostgreSQL: the frontend first interpolates template
 * variables ($name, ${name}, [[name]], and $__interval / $__interval_ms / $__from / $__to), then the
 * backend expands the macros of pkg/tsdb/grafana-postgresql-datasource (non-TimescaleDB): $__time,
 * $__timeEpoch, $__timeFilter, $__timeFrom, $__timeTo, $__timeGroup, $__timeGroupAlias,
 * $__unixEpochFilter, $__unixEpochFrom, $__unixEpochTo, $__unixEpochGroup, $__unixEpochGroupAlias.
 * An unknown variable or macro throws, as Grafana would fail the query.
 */
export function expandGrafanaSql(sql: string, ctx: GrafanaQueryContext): string {
  const builtins: Record<string, string> = {
    __interval: ctx.interval,
    __interval_ms: String(Math.round(parseGrafanaInterval(ctx.interval) * 1000)),
    __from: String(ctx.from.getTime()),
    __to: String(ctx.to.getTime()),
  };
  const byName = new Map(ctx.variables.map((v) => [v.name, v]));
  const resolve = (name: string, whole: string): string => {
    if (name in builtins) return builtins[name]!;
    if (name.startsWith("__")) return whole; // a macro, expanded below
    const values = ctx.values[name];
    if (!values) throw new Error(`unknown template variable $${name} in: ${sql}`);
    return formatVariable(byName.get(name), values);
  };
  const interpolated = sql
    .replace(/\$\{(\w+)(?::\w+)?\}/g, (whole, name: string) => resolve(name, whole))
    .replace(/\[\[(\w+)\]\]/g, (whole, name: string) => resolve(name, whole))
    .replace(/\$(\w+)\b(?!\s*\()/g, (whole, name: string) => resolve(name, whole));

  const from = formatRfc3339Nano(ctx.from);
  const to = formatRfc3339Nano(ctx.to);
  const fromEpoch = Math.floor(ctx.from.getTime() / 1000);
  const toEpoch = Math.floor(ctx.to.getTime() / 1000);
  const expandMacro = (name: string, args: string[]): string => {
    const need = (n: number) => {
      if (args.length < n || args.slice(0, n).some((a) => a === ""))
        throw new Error(`macro $${name} needs ${n} argument(s) in: ${sql}`);
    };
    switch (name) {
      case "__time":
        need(1);
        return `${args[0]} AS "time"`;
      case "__timeEpoch":
        need(1);
        return `extract(epoch from ${args[0]}) as "time"`;
      case "__timeFilter":
        need(1);
        return `${args[0]} BETWEEN '${from}' AND '${to}'`;
      case "__timeFrom":
        return `'${from}'`;
      case "__timeTo":
        return `'${to}'`;
      case "__timeGroup": {
        need(2);
        const seconds = parseGrafanaInterval(args[1]!);
        return `floor(extract(epoch from ${args[0]})/${seconds})*${seconds}`;
      }
      case "__timeGroupAlias":
        return `${expandMacro("__timeGroup", args)} AS "time"`;
      case "__unixEpochFilter":
        need(1);
        return `${args[0]} >= ${fromEpoch} AND ${args[0]} <= ${toEpoch}`;
      case "__unixEpochFrom":
        return String(fromEpoch);
      case "__unixEpochTo":
        return String(toEpoch);
      case "__unixEpochGroup": {
        need(2);
        const seconds = parseGrafanaInterval(args[1]!);
        return `floor((${args[0]})/${seconds})*${seconds}`;
      }
      case "__unixEpochGroupAlias":
        return `${expandMacro("__unixEpochGroup", args)} AS "time"`;
      default:
        throw new Error(`undefined macro: $${name} in: ${sql}`);
    }
  };
  const expanded = interpolated.replace(/\$(__\w+)\(([^)]*)\)/g, (_, name: string, args: string) =>
    expandMacro(
      name,
      args.split(",").map((a) => a.trim()),
    ),
  );
  const leftover = /\$\w+/.exec(expanded);
  if (leftover) throw new Error(`unexpanded ${leftover[0]} in: ${expanded}`);
  return expanded;
}
