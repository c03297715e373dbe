import { describe, expect, it } from "vitest";

import {
  formatAgo,
  formatBarTime,
  formatPercent,
  formatPrice,
  formatVolume,
  getChangeDirection,
} from "@/lib/kpi/format";

describe("finance formatting", () => {
  it("formats prices as currency with two decimals and thousands separators", () => {
    expect(formatPrice(257.989990234375)).toBe("$257.99");
    expect(formatPrice(1234.5)).toBe("$1,234.50");
    expect(formatPrice(Number.NaN)).toBe("—");
    expect(formatPrice(null)).toBe("—");
  });

  it("signs percentages, with a true minus sign, and never shows −0.00%", () => {
    expect(formatPercent(1.2345)).toBe("+1.23%");
    expect(formatPercent(-0.5)).toBe("\u22120.50%");
    expect(formatPercent(-0.001)).toBe("0.00%");
    expect(formatPercent(null)).toBe("—");
  });

  it("colours by the rounded sign", () => {
    expect(getChangeDirection(0.01)).toBe("up");
    expect(getChangeDirection(-0.004)).toBe("flat");
    expect(getChangeDirection(-2)).toBe("down");
    expect(getChangeDirection(null)).toBe("flat");
  });

  it("formats volume with separators or compactly", () => {
    expect(formatVolume(1169548)).toBe("1,169,548");
    expect(formatVolume(1169548, true)).toBe("1.17M");
    expect(formatVolume(0)).toBe("0");
  });

  it("shows bar times in the exchange's zone", () => {
    expect(formatBarTime(Date.parse("2026-03-12T13:30:00Z"), "America/New_York")).toBe("09:30");
    expect(formatBarTime(Date.parse("2026-03-12T13:30:00Z"), "America/New_York", true)).toBe("Mar 12, 09:30");
  });

  it("says how long ago", () => {
    expect(formatAgo(3_000)).toBe("3 s ago");
    expect(formatAgo(400)).toBe("just now");
    expect(formatAgo(125_000)).toBe("2 min ago");
  });
});
