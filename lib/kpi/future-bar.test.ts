import { describe, expect, it } from "vitest";

import { isFutureBar } from "@/lib/kpi/future-bar";

const NOW = Date.parse("2026-11-30T07:46:30.500Z");
const MIN = 60_000;

describe("isFutureBar", () => {
  it("accepts the current minute's bar and every earlier one", () => {
    expect(isFutureBar(Date.parse("2026-11-30T07:46:00Z"), NOW, 60_000)).toBe(false);
    expect(isFutureBar(Date.parse("2026-03-12T13:30:00Z"), NOW, 60_000)).toBe(false);
  });

  it("accepts a bar up to the tolerance after the clock (host clock skew) and refuses one a millisecond later", () => {
    expect(isFutureBar(NOW + 60_000, NOW, 60_000)).toBe(false);
    expect(isFutureBar(NOW + 60_001, NOW, 60_000)).toBe(true);
  });

  it("refuses the next minute's bar with no tolerance, and a bar days or decades ahead with any", () => {
    expect(isFutureBar(Date.parse("2026-11-30T07:47:00Z"), NOW, 0)).toBe(true);
    expect(isFutureBar(NOW + 3 * 24 * 60 * MIN, NOW, 60_000)).toBe(true);
    expect(isFutureBar(Date.parse("2099-01-01T00:00:00Z"), NOW, 3_600_000)).toBe(true);
  });
});
