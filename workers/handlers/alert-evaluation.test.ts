import { describe, expect, it } from "vitest";

import type { AlertRule } from "@/lib/events/alert-rule";
import { indexAlertRules } from "@/workers/handlers/alert-evaluation";

const rule = (id: number, overrides: Partial<AlertRule>): AlertRule => ({
  id,
  name: `rule ${id}`,
  condition: { type: "ma_cross", kind: "golden" },
  scope: { kind: "all" },
  cooldownMinutes: 0,
  status: "enabled",
  version: 1,
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

describe("indexAlertRules", () => {
  it("indexes enabled bar rules by scope; paused and stale-data rules are not evaluated on bars", () => {
    const index = indexAlertRules([
      rule(1, {}),
      rule(2, { scope: { kind: "symbols", symbols: ["AAPL", "MSFT", "AAPL"] } }),
      rule(3, { status: "paused" }),
      rule(4, { condition: { type: "stale_data", minutes: 5 } }),
    ]);
    expect(index.forAll.map((r) => r.id)).toEqual([1]);
    expect([...index.bySymbol].map(([s, rules]) => [s, rules.map((r) => r.id)])).toEqual([
      ["AAPL", [2]],
      ["MSFT", [2]],
    ]);
    expect([...index.types.keys()]).toEqual([1, 2]);
  });
});
