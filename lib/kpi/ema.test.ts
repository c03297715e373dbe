import { describe, expect, it } from "vitest";

import { computeEmaStep } from "@/lib/kpi/ema";

describe("computeEmaStep", () => {
  it("starts at the seed (the first simple average) when there is no previous EMA", () => {
    expect(computeEmaStep(null, 15, 3, 12)).toBe(12);
  });

  it("stays null before the seed exists", () => {
    expect(computeEmaStep(null, 15, 3, null)).toBeNull();
  });

  it("moves the previous EMA towards the value by α = 2/(period+1)", () => {
    // period 3: α = 0.5; 12 + 0.5 × (16 − 12) = 14
    expect(computeEmaStep(12, 16, 3, 999)).toBe(14);
    // period 20: α = 2/21; 100 + (2/21) × (121 − 100) = 102
    expect(computeEmaStep(100, 121, 20, null)).toBeCloseTo(102, 12);
  });
});
