import { describe, expect, it } from "vitest";

import { computePercentChange } from "@/lib/kpi/percent-change";

describe("computePercentChange", () => {
  it("is (to − from) / from × 100", () => {
    expect(computePercentChange(200, 210)).toBe(5);
    expect(computePercentChange(200, 190)).toBe(-5);
  });

  it("is null without a usable base", () => {
    expect(computePercentChange(null, 10)).toBeNull();
    expect(computePercentChange(0, 10)).toBeNull();
    expect(computePercentChange(Number.NaN, 10)).toBeNull();
  });
});
