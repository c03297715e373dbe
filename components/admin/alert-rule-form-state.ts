import type { z } from "zod";

import { alertRuleInputSchema, type AlertRule, type AlertRuleInput } from "@/lib/events/alert-rule";
import { splitSymbolList } from "@/lib/events/symbol";
import type { AlertConditionType } from "@/lib/kpi/alert-rules";

/**
 * The admin's alert rule form as text fields (what the inputs hold), one field per parameter of any
 * rule type; the type picks which are shown and sent. Validation is alertRuleInputSchema's, the same
 * schema the API applies, so the form and the server name the same field with the same message.
 */
export type AlertRuleFormState = {
  name: string;
  type: AlertConditionType;
  /** up/down for crossings and gaps; sent as above/below for window gain and day change. */
  direction: "up" | "down";
  level: string;
  indicator: "ma20" | "ema20";
  kind: "golden" | "death";
  windowMinutes: "5" | "15" | "60";
  thresholdPct: string;
  factor: string;
  lookbackBars: string;
  minGapPct: string;
  minutes: string;
  scopeKind: "all" | "symbols";
  symbols: string;
  cooldownMinutes: string;
  status: "enabled" | "paused";
};

export const EMPTY_ALERT_RULE_FORM: AlertRuleFormState = {
  name: "",
  type: "price_cross",
  direction: "up",
  level: "",
  indicator: "ma20",
  kind: "golden",
  windowMinutes: "15",
  thresholdPct: "",
  factor: "3",
  lookbackBars: "20",
  minGapPct: "",
  minutes: "5",
  scopeKind: "symbols",
  symbols: "",
  cooldownMinutes: "15",
  status: "enabled",
};

/** Which parameter fields each rule type shows. */
export const ALERT_RULE_FIELDS: Record<AlertConditionType, (keyof AlertRuleFormState)[]> = {
  price_cross: ["direction", "level"],
  indicator_cross: ["indicator", "direction"],
  ma_cross: ["kind"],
  window_gain: ["windowMinutes", "direction", "thresholdPct"],
  volume_spike: ["factor", "lookbackBars"],
  day_change: ["direction", "thresholdPct"],
  opening_gap: ["direction", "minGapPct"],
  stale_data: ["minutes"],
};

/** A number field: blank stays blank (the schema then says a number is expected), text becomes NaN. */
function toNumber(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text.trim());
}

const aboveBelow = (direction: "up" | "down") => (direction === "up" ? "above" : "below");

/** The condition the form describes, unchecked (the schema checks it). */
function buildCondition(s: AlertRuleFormState): Record<string, unknown> {
  switch (s.type) {
    case "price_cross":
      return { type: s.type, direction: s.direction, level: toNumber(s.level) };
    case "indicator_cross":
      return { type: s.type, indicator: s.indicator, direction: s.direction };
    case "ma_cross":
      return { type: s.type, kind: s.kind };
    case "window_gain":
      return {
        type: s.type,
        windowMinutes: Number(s.windowMinutes),
        direction: aboveBelow(s.direction),
        thresholdPct: toNumber(s.thresholdPct),
      };
    case "volume_spike":
      return { type: s.type, factor: toNumber(s.factor), lookbackBars: toNumber(s.lookbackBars) };
    case "day_change":
      return { type: s.type, direction: aboveBelow(s.direction), thresholdPct: toNumber(s.thresholdPct) };
    case "opening_gap":
      return { type: s.type, direction: s.direction, minGapPct: toNumber(s.minGapPct) };
    case "stale_data":
      return { type: s.type, minutes: toNumber(s.minutes) };
  }
}

/** The request body the form describes, before validation. */
export function buildAlertRuleCandidate(s: AlertRuleFormState): Record<string, unknown> {
  return {
    name: s.name,
    condition: buildCondition(s),
    scope: s.scopeKind === "all" ? { kind: "all" } : { kind: "symbols", symbols: splitSymbolList(s.symbols) },
    cooldownMinutes: toNumber(s.cooldownMinutes),
    status: s.status,
  };
}

/** Error messages by field path ("condition.level"), the first one per field. */
export type AlertRuleFormErrors = Record<string, string>;

export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): AlertRuleFormErrors {
  const errors: AlertRuleFormErrors = {};
  for (const issue of issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Validates the form with the API's schema: the body to send, or the errors per field. */
export function validateAlertRuleForm(
  s: AlertRuleFormState,
): { ok: true; input: AlertRuleInput } | { ok: false; errors: AlertRuleFormErrors } {
  const parsed = alertRuleInputSchema.safeParse(buildAlertRuleCandidate(s));
  return parsed.success
    ? { ok: true, input: parsed.data }
    : { ok: false, errors: toFieldErrors(parsed.error.issues) };
}

/** The form of an existing rule (edit). */
export function toAlertRuleFormState(rule: AlertRule): AlertRuleFormState {
  const s: AlertRuleFormState = {
    ...EMPTY_ALERT_RULE_FORM,
    name: rule.name,
    type: rule.condition.type,
    scopeKind: rule.scope.kind,
    symbols: rule.scope.kind === "symbols" ? rule.scope.symbols.join(", ") : "",
    cooldownMinutes: String(rule.cooldownMinutes),
    status: rule.status,
  };
  const c = rule.condition;
  switch (c.type) {
    case "price_cross":
      return { ...s, direction: c.direction, level: String(c.level) };
    case "indicator_cross":
      return { ...s, indicator: c.indicator, direction: c.direction };
    case "ma_cross":
      return { ...s, kind: c.kind };
    case "window_gain":
      return {
        ...s,
        windowMinutes: String(c.windowMinutes) as AlertRuleFormState["windowMinutes"],
        direction: c.direction === "above" ? "up" : "down",
        thresholdPct: String(c.thresholdPct),
      };
    case "volume_spike":
      return { ...s, factor: String(c.factor), lookbackBars: String(c.lookbackBars) };
    case "day_change":
      return {
        ...s,
        direction: c.direction === "above" ? "up" : "down",
        thresholdPct: String(c.thresholdPct),
      };
    case "opening_gap":
      return { ...s, direction: c.direction, minGapPct: String(c.minGapPct) };
    case "stale_data":
      return { ...s, minutes: String(c.minutes) };
  }
}
