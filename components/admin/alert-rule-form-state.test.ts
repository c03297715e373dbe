import { describe, expect, it } from "vitest";

import {
  ALERT_RULE_FIELDS,
  EMPTY_ALERT_RULE_FORM,
  toAlertRuleFormState,
  validateAlertRuleForm,
  type AlertRuleFormState,
} from "@/components/admin/alert-rule-form-state";
import { alertConditionTypeSchema, type AlertRule, type AlertRuleInput } from "@/lib/events/alert-rule";

const form = (overrides: Partial<AlertRuleFormState>): AlertRuleFormState => ({
  ...EMPTY_ALERT_RULE_FORM,
  name: "rule",
  symbols: "aapl, msft",
  ...overrides,
});

const INPUTS: AlertRuleInput["condition"][] = [
  { type: "price_cross", direction: "down", level: 187.25 },
  { type: "indicator_cross", indicator: "ema20", direction: "up" },
  { type: "ma_cross", kind: "death" },
  { type: "window_gain", windowMinutes: 60, direction: "below", thresholdPct: -1.5 },
  { type: "volume_spike", factor: 2.5, lookbackBars: 30 },
  { type: "day_change", direction: "above", thresholdPct: 3 },
  { type: "opening_gap", direction: "down", minGapPct: 0.5 },
  { type: "stale_data", minutes: 7 },
];

describe("the alert rule form", () => {
  it("every rule type shows fields and round-trips through the form unchanged", () => {
    expect(INPUTS.map((c) => c.type).sort()).toEqual([...alertConditionTypeSchema.options].sort());
    for (const condition of INPUTS) {
      expect(ALERT_RULE_FIELDS[condition.type]).toBeDefined();
      const rule: AlertRule = {
        id: 1,
        version: 3,
        createdAt: 0,
        updatedAt: 0,
        name: "r",
        condition,
        scope: { kind: "symbols", symbols: ["AAPL", "BRK-B"] },
        cooldownMinutes: 45,
        status: "paused",
      };
      const checked = validateAlertRuleForm(toAlertRuleFormState(rule));
      expect(checked, condition.type).toEqual({
        ok: true,
        input: { name: "r", condition, scope: rule.scope, cooldownMinutes: 45, status: "paused" },
      });
    }
  });

  it("sends only the chosen type's parameters, symbols normalised", () => {
    const checked = validateAlertRuleForm(form({ type: "ma_cross", level: "12", kind: "golden" }));
    expect(checked).toEqual({
      ok: true,
      input: {
        name: "rule",
        condition: { type: "ma_cross", kind: "golden" },
        scope: { kind: "symbols", symbols: ["AAPL", "MSFT"] },
        cooldownMinutes: 15,
        status: "enabled",
      },
    });
    const all = validateAlertRuleForm(form({ level: "10", scopeKind: "all", symbols: "not a ; symbol!" }));
    expect(all.ok && all.input.scope).toEqual({ kind: "all" });
  });

  it("names each failing field with the API schema's path", () => {
    const blank = validateAlertRuleForm(form({ level: "", name: " ", cooldownMinutes: "1.5" }));
    expect(blank.ok).toBe(false);
    expect(Object.keys(!blank.ok ? blank.errors : {}).sort()).toEqual([
      "condition.level",
      "cooldownMinutes",
      "name",
    ]);
    const zero = validateAlertRuleForm(form({ level: "0" }));
    expect(!zero.ok && zero.errors["condition.level"]).toBeTruthy();
    const text = validateAlertRuleForm(form({ type: "volume_spike", factor: "abc", lookbackBars: "241" }));
    expect(Object.keys(!text.ok ? text.errors : {}).sort()).toEqual([
      "condition.factor",
      "condition.lookbackBars",
    ]);
    const symbols = validateAlertRuleForm(form({ level: "10", symbols: "AAPL, <script>" }));
    expect(Object.keys(!symbols.ok ? symbols.errors : {})).toEqual(["scope.symbols.1"]);
    const none = validateAlertRuleForm(form({ level: "10", symbols: " , " }));
    expect(Object.keys(!none.ok ? none.errors : {})).toEqual(["scope.symbols"]);
  });
});
