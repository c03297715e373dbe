import { describe, expect, it } from "vitest";

import { alertRuleInputSchema, alertRuleSchema } from "@/lib/events/alert-rule";
import { MAX_PRICE } from "@/lib/events/tick-v1";

const base = {
  name: "AAPL over 200",
  scope: { kind: "symbols", symbols: ["AAPL"] },
  cooldownMinutes: 15,
  status: "enabled",
};

describe("alertRuleInputSchema", () => {
  it.each([
    { type: "price_cross", direction: "up", level: 200 },
    { type: "indicator_cross", indicator: "ema20", direction: "down" },
    { type: "ma_cross", kind: "golden" },
    { type: "window_gain", windowMinutes: 15, direction: "below", thresholdPct: -2 },
    { type: "volume_spike", factor: 3, lookbackBars: 20 },
    { type: "day_change", direction: "above", thresholdPct: 5 },
    { type: "opening_gap", direction: "down", minGapPct: 1 },
    { type: "stale_data", minutes: 5 },
  ])("accepts a $type rule", (condition) => {
    expect(alertRuleInputSchema.safeParse({ ...base, condition }).success).toBe(true);
  });

  it.each([
    [
      "a window length other than 5, 15, 60",
      { type: "window_gain", windowMinutes: 30, direction: "above", thresholdPct: 1 },
    ],
    ["a volume factor below 1", { type: "volume_spike", factor: 0.5, lookbackBars: 20 }],
    ["a look-back of 0 bars", { type: "volume_spike", factor: 2, lookbackBars: 0 }],
    ["a zero price level", { type: "price_cross", direction: "up", level: 0 }],
    ["a price level no tick may reach", { type: "price_cross", direction: "up", level: 10_000_001 }],
    ["a negative gap", { type: "opening_gap", direction: "up", minGapPct: -1 }],
    ["an unknown parameter", { type: "ma_cross", kind: "golden", extra: 1 }],
    ["an unknown type", { type: "rsi", level: 70 }],
  ])("rejects %s", (_label, condition) => {
    expect(alertRuleInputSchema.safeParse({ ...base, condition }).success).toBe(false);
  });

  it("rejects an empty symbol list, a negative cooldown and an invalid ticker", () => {
    const condition = { type: "ma_cross", kind: "death" };
    expect(
      alertRuleInputSchema.safeParse({ ...base, condition, scope: { kind: "symbols", symbols: [] } }).success,
    ).toBe(false);
    expect(alertRuleInputSchema.safeParse({ ...base, condition, cooldownMinutes: -1 }).success).toBe(false);
    expect(
      alertRuleInputSchema.safeParse({ ...base, condition, scope: { kind: "symbols", symbols: ["a b"] } })
        .success,
    ).toBe(false);
    expect(alertRuleInputSchema.safeParse({ ...base, condition, scope: { kind: "all" } }).success).toBe(true);
  });

  it("takes a price level up to the highest price a tick may carry, and words the refusal of one beyond", () => {
    const at = (level: number) => ({ ...base, condition: { type: "price_cross", direction: "up", level } });
    expect(alertRuleInputSchema.safeParse(at(MAX_PRICE)).success).toBe(true);
    const refused = alertRuleInputSchema.safeParse(at(MAX_PRICE + 0.5));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([["condition", "level"]]);
    expect(refused.error?.issues[0]?.message).toMatch(/at most 10,000,000/);
    // A rule stored before the bound still loads, so that an admin can see and change it.
    const stored = { ...at(MAX_PRICE * 2), id: 1, version: 1, createdAt: 0, updatedAt: 0 };
    expect(alertRuleSchema.parse(stored)).toStrictEqual(stored);
  });
});
