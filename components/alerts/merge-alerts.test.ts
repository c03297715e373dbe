import { describe, expect, it } from "vitest";

import { mergeAlerts } from "@/components/alerts/merge-alerts";
import type { AlertView } from "@/lib/events/api-alerts";

function alert(id: number, overrides: Partial<AlertView> = {}): AlertView {
  return {
    id,
    ruleId: 1,
    ruleVersion: 1,
    ruleType: "price_cross",
    symbol: "AAPL",
    barTs: 1_700_000_000_000 + id * 60_000,
    values: { close: 101, level: 100 },
    firedAt: 1_700_000_100_000,
    retractedAt: null,
    retractReason: null,
    revision: 1,
    ruleName: "AAPL above 100",
    ...overrides,
  };
}

const ALL = { symbol: null, ruleId: null };

describe("mergeAlerts", () => {
  it("adds new alerts newest first and keeps at most `limit`", () => {
    const merged = mergeAlerts([alert(2), alert(1)], [alert(3)], ALL, 2);
    expect(merged.map((a) => a.id)).toEqual([3, 2]);
  });

  it("a retraction (higher revision) replaces the held state; an older state never does", () => {
    const retracted = alert(1, { revision: 2, retractedAt: 1_700_000_200_000, retractReason: "revised" });
    const held = mergeAlerts([alert(1)], [retracted], ALL, 50);
    expect(held[0]).toEqual(retracted);
    expect(mergeAlerts(held, [alert(1)], ALL, 50)).toBe(held);
    expect(mergeAlerts(held, [retracted], ALL, 50)).toBe(held);
  });

  it("new alerts outside the filter stay out; a held one is still updated", () => {
    const filter = { symbol: "MSFT", ruleId: null };
    const held = [alert(1, { symbol: "MSFT" })];
    expect(mergeAlerts(held, [alert(2, { symbol: "AAPL" })], filter, 50)).toBe(held);
    expect(
      mergeAlerts(held, [alert(3, { symbol: "MSFT", ruleId: 2 })], { symbol: null, ruleId: 1 }, 50),
    ).toBe(held);
    expect(mergeAlerts(held, [alert(1, { symbol: "MSFT", revision: 2 })], filter, 50)[0]!.revision).toBe(2);
  });
});
