import { describe, expect, it } from "vitest";

import {
  describeAlertCondition,
  describeAlertScope,
  describeCooldown,
} from "@/components/alerts/describe-alert-rule";
import { describeAlert } from "@/components/alerts/describe-alert";

describe("alert rules in words", () => {
  it("states each type's parameters", () => {
    expect(describeAlertCondition({ type: "price_cross", direction: "up", level: 101.5 })).toBe(
      "close crosses above 101.5",
    );
    expect(describeAlertCondition({ type: "indicator_cross", indicator: "ema20", direction: "down" })).toBe(
      "close crosses below its EMA 20",
    );
    expect(describeAlertCondition({ type: "ma_cross", kind: "death" })).toBe(
      "MA 5 crosses below MA 20 (death cross)",
    );
    expect(
      describeAlertCondition({
        type: "window_gain",
        windowMinutes: 15,
        direction: "below",
        thresholdPct: -2,
      }),
    ).toBe("15-minute gain below -2%");
    expect(describeAlertCondition({ type: "volume_spike", factor: 3, lookbackBars: 1 })).toBe(
      "volume above 3 × the mean of the previous 1 bar",
    );
    expect(describeAlertCondition({ type: "day_change", direction: "above", thresholdPct: 0.1 + 0.2 })).toBe(
      "day change above 0.3%",
    );
    expect(describeAlertCondition({ type: "opening_gap", direction: "up", minGapPct: 1 })).toBe(
      "opens more than 1% above the previous close",
    );
    expect(describeAlertCondition({ type: "stale_data", minutes: 1 })).toBe(
      "no bar for 1 minute while the market is open",
    );
  });

  it("shortens long symbol lists and states cooldowns in bar time", () => {
    expect(describeAlertScope({ kind: "all" })).toBe("all symbols");
    expect(describeAlertScope({ kind: "symbols", symbols: ["A", "B", "C"] })).toBe("A, B, C");
    expect(describeAlertScope({ kind: "symbols", symbols: ["A", "B", "C", "D", "E"] })).toBe(
      "A, B, C and 2 more",
    );
    expect(describeCooldown(0)).toBe("no cooldown");
    expect(describeCooldown(60)).toBe("1 h");
    expect(describeCooldown(1440 + 75)).toBe("1 d 1 h 15 min");
  });

  it("describes a fired and a retracted alert", () => {
    const fired = {
      id: 1,
      ruleId: 1,
      ruleVersion: 1,
      ruleType: "price_cross" as const,
      symbol: "AAPL",
      barTs: 0,
      values: { level: 200, prevClose: 199.5, close: 201.25 },
      firedAt: 0,
      retractedAt: null,
      retractReason: null,
      revision: 1,
      ruleName: "AAPL above 200",
    };
    expect(describeAlert(fired)).toBe(
      "AAPL: AAPL above 200 (close 201.25 · level 200 · previous close 199.5)",
    );
    expect(describeAlert({ ...fired, retractedAt: 5, revision: 2 })).toMatch(/^Retracted: AAPL/);
  });
});
