import type { Db } from "@/lib/db/client";
import { insertAlertRule } from "@/lib/db/queries/alert-rules";
import { alertConditionSchema } from "@/lib/events/alert-rule";
import type { TickV1 } from "@/lib/events/tick-v1";

import type { RefAlert, RefRule } from "./reference-alerts";

/**
 * A set of rules covering every bar-driven rule type, with thresholds that the recorded days cross a
 * number of times, some cooldowns, scopes `all` and lists, and a paused rule. Price levels are per
 * symbol: the median close of its first recorded bars.
 */
export function buildTestRules(ticks: readonly TickV1[]): RefRule[] {
  const symbols = [...new Set(ticks.map((t) => t.symbol))].sort();
  const rules: Omit<RefRule, "id">[] = [];
  for (const symbol of symbols) {
    const closes = ticks
      .filter((t) => t.symbol === symbol)
      .slice(0, 390)
      .map((t) => t.close)
      .sort((a, b) => a - b);
    const level = closes[Math.floor(closes.length / 2)]!;
    rules.push({
      condition: { type: "price_cross", direction: "up", level },
      symbols: [symbol],
      cooldownMinutes: 0,
    });
    rules.push({
      condition: { type: "price_cross", direction: "down", level },
      symbols: [symbol],
      cooldownMinutes: 20,
    });
  }
  const list = symbols.slice(0, 2);
  rules.push(
    {
      condition: { type: "indicator_cross", indicator: "ma20", direction: "up" },
      symbols: "all",
      cooldownMinutes: 30,
    },
    {
      condition: { type: "indicator_cross", indicator: "ema20", direction: "down" },
      symbols: list,
      cooldownMinutes: 0,
    },
    { condition: { type: "ma_cross", kind: "golden" }, symbols: "all", cooldownMinutes: 0 },
    { condition: { type: "ma_cross", kind: "death" }, symbols: "all", cooldownMinutes: 60 },
    {
      condition: { type: "window_gain", windowMinutes: 5, direction: "above", thresholdPct: 0.3 },
      symbols: "all",
      cooldownMinutes: 0,
    },
    {
      condition: { type: "window_gain", windowMinutes: 15, direction: "below", thresholdPct: -0.5 },
      symbols: "all",
      cooldownMinutes: 15,
    },
    {
      condition: { type: "window_gain", windowMinutes: 60, direction: "above", thresholdPct: 1 },
      symbols: "all",
      cooldownMinutes: 0,
    },
    { condition: { type: "volume_spike", factor: 3, lookbackBars: 20 }, symbols: "all", cooldownMinutes: 10 },
    { condition: { type: "volume_spike", factor: 2, lookbackBars: 60 }, symbols: list, cooldownMinutes: 0 },
    {
      condition: { type: "day_change", direction: "above", thresholdPct: 1 },
      symbols: "all",
      cooldownMinutes: 0,
    },
    {
      condition: { type: "day_change", direction: "below", thresholdPct: -1 },
      symbols: "all",
      cooldownMinutes: 0,
    },
    {
      condition: { type: "opening_gap", direction: "up", minGapPct: 0.2 },
      symbols: "all",
      cooldownMinutes: 0,
    },
    {
      condition: { type: "opening_gap", direction: "down", minGapPct: 0.2 },
      symbols: "all",
      cooldownMinutes: 0,
    },
    { condition: { type: "ma_cross", kind: "golden" }, symbols: "all", cooldownMinutes: 0, isPaused: true },
  );
  return rules.map((r, i) => ({ ...r, id: i + 1 }));
}

/** Inserts the rules in order (a fresh database numbers them 1, 2, … like their ids) and checks that. */
export async function insertTestRules(db: Db, rules: readonly RefRule[]): Promise<void> {
  for (const rule of rules) {
    const stored = await insertAlertRule(db, {
      name: `rule ${rule.id}`,
      condition: alertConditionSchema.parse(rule.condition),
      scope: rule.symbols === "all" ? { kind: "all" } : { kind: "symbols", symbols: [...rule.symbols] },
      cooldownMinutes: rule.cooldownMinutes,
      status: rule.isPaused ? "paused" : "enabled",
    });
    if (stored.id !== rule.id) throw new Error(`rule ${rule.id} was stored as ${stored.id}`);
  }
}

export type StoredActiveAlert = RefAlert & { values: Record<string, number | null> };

/** The active (not retracted) events, in a stable order. */
export async function listActiveAlerts(db: Db): Promise<StoredActiveAlert[]> {
  const { rows } = await db.$client.query<{
    rule_id: string;
    symbol: string;
    bar_ts: Date;
    values: Record<string, number | null>;
  }>(
    `select rule_id, symbol, bar_ts, "values" from alert_events where retracted_at is null order by rule_id, symbol, bar_ts`,
  );
  return rows.map((r) => ({
    ruleId: Number(r.rule_id),
    symbol: r.symbol,
    barTs: r.bar_ts.getTime(),
    values: r.values,
  }));
}

export const toKeys = (alerts: readonly RefAlert[]) =>
  alerts.map((a) => `${a.ruleId} ${a.symbol} ${new Date(a.barTs).toISOString()}`).sort();
