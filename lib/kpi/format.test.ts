import { describe, expect, it } from "vitest";

import {
  formatAgo,
  formatBarTime,
  formatCount,
  formatDecimal,
  formatPercent,
  getSignificantPercentDigits,
  formatPrice,
  formatVolume,
  formatZonedTime,
  formatZonedTimeSpan,
  formatZoneLabel,
  getChangeDirection,
  parseDisplayZone,
  resolveDisplayTimeZone,
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

  it("formats counts with separators, never compactly", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
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

/** 2026: US daylight saving time from Mar 8 to Nov 1, European summer time from Mar 29 to Oct 25. */
const WINTER = Date.parse("2026-01-15T19:05:00Z");
const SUMMER = Date.parse("2026-07-15T18:05:00Z");

describe("zone labels", () => {
  it("name New York's zone by the season: EST in winter, EDT in summer", () => {
    expect(formatZoneLabel(WINTER, "America/New_York")).toBe("EST");
    expect(formatZoneLabel(SUMMER, "America/New_York")).toBe("EDT");
  });

  it("switch at the instant daylight saving starts (Mar 8 2026, 02:00 in New York = 07:00 UTC)", () => {
    const switchAt = Date.parse("2026-03-08T07:00:00Z");
    expect(formatZoneLabel(switchAt - 1, "America/New_York")).toBe("EST");
    expect(formatZoneLabel(switchAt, "America/New_York")).toBe("EDT");
  });

  it("use the European abbreviations where American English has only an offset", () => {
    expect(formatZoneLabel(WINTER, "Europe/Berlin")).toBe("CET");
    expect(formatZoneLabel(SUMMER, "Europe/Berlin")).toBe("CEST");
    expect(formatZoneLabel(WINTER, "Europe/London")).toBe("GMT");
    expect(formatZoneLabel(SUMMER, "Europe/London")).toBe("BST");
  });

  it("fall back to the offset where no abbreviation is in common use", () => {
    expect(formatZoneLabel(WINTER, "Asia/Tokyo")).toBe("GMT+9");
    expect(formatZoneLabel(WINTER, "Asia/Kolkata")).toBe("GMT+5:30");
  });

  it("call UTC UTC", () => {
    expect(formatZoneLabel(WINTER, "UTC")).toBe("UTC");
    expect(formatZoneLabel(SUMMER, "Etc/UTC")).toBe("UTC");
  });
});

describe("zoned times", () => {
  it("show the time in the zone asked for, followed by that zone's label", () => {
    expect(formatZonedTime(WINTER, "America/New_York")).toBe("14:05 EST");
    expect(formatZonedTime(WINTER, "UTC")).toBe("19:05 UTC");
    expect(formatZonedTime(WINTER, "Europe/Berlin")).toBe("20:05 CET");
    expect(formatZonedTime(SUMMER, "America/New_York")).toBe("14:05 EDT");
  });

  it("carry the date of that zone, which may differ from the UTC date", () => {
    const lateEvening = Date.parse("2026-01-16T02:30:00Z");
    expect(formatZonedTime(lateEvening, "America/New_York", { withDate: true })).toBe("Jan 15, 21:30 EST");
    expect(formatZonedTime(lateEvening, "UTC", { withDate: true })).toBe("Jan 16, 02:30 UTC");
  });

  it("add seconds on request", () => {
    expect(formatZonedTime(WINTER + 7_000, "UTC", { withDate: true, withSeconds: true })).toBe(
      "Jan 15, 19:05:07 UTC",
    );
  });

  it("render a missing or invalid time as a dash", () => {
    expect(formatZonedTime(null, "UTC")).toBe("—");
    expect(formatZonedTime(Number.NaN, "UTC")).toBe("—");
  });

  it("name the zone of a span once, or at both ends when daylight saving changes inside it", () => {
    expect(formatZonedTimeSpan(WINTER, WINTER + 5 * 60_000, "America/New_York", true)).toBe(
      "Jan 15, 14:05 – 14:10 EST",
    );
    const switchAt = Date.parse("2026-03-08T07:00:00Z");
    expect(formatZonedTimeSpan(switchAt - 30 * 60_000, switchAt + 30 * 60_000, "America/New_York")).toBe(
      "01:30 EST – 03:30 EDT",
    );
    expect(formatZonedTimeSpan(null, WINTER, "UTC")).toBe("—");
  });
});

describe("display zone choice", () => {
  it("reads a stored choice and falls back to exchange time for anything else", () => {
    expect(parseDisplayZone("utc")).toBe("utc");
    expect(parseDisplayZone("local")).toBe("local");
    expect(parseDisplayZone("UTC")).toBe("exchange");
    expect(parseDisplayZone(null)).toBe("exchange");
  });

  it("resolves to the exchange's zone, the viewer's zone or UTC", () => {
    const zones = { exchange: "America/New_York", local: "Europe/Berlin" };
    expect(resolveDisplayTimeZone("exchange", zones)).toBe("America/New_York");
    expect(resolveDisplayTimeZone("local", zones)).toBe("Europe/Berlin");
    expect(resolveDisplayTimeZone("utc", zones)).toBe("UTC");
  });
});

describe("formatDecimal", () => {
  it("groups thousands and keeps up to the given decimals, without padding", () => {
    expect(formatDecimal(1_000_000_000)).toBe("1,000,000,000");
    expect(formatDecimal(101.5)).toBe("101.5");
    expect(formatDecimal(101.234567)).toBe("101.2346");
    expect(formatDecimal(0.1234567, 6)).toBe("0.123457");
    expect(formatDecimal(-2.5)).toBe("-2.5");
  });

  it("renders a missing or non-finite value as an em dash", () => {
    expect(formatDecimal(null)).toBe("—");
    expect(formatDecimal(Number.NaN)).toBe("—");
  });
});

describe("getSignificantPercentDigits", () => {
  it("keeps two decimals unless they would hide a tiny change's sign, then up to four", () => {
    expect(getSignificantPercentDigits(1.234)).toBe(2);
    expect(getSignificantPercentDigits(-0.01)).toBe(2);
    expect(getSignificantPercentDigits(-0.003)).toBe(3);
    expect(getSignificantPercentDigits(0.0004)).toBe(4);
    expect(getSignificantPercentDigits(0.00001)).toBe(4);
    expect(getSignificantPercentDigits(0)).toBe(2);
    expect(getSignificantPercentDigits(null)).toBe(2);
    expect(formatPercent(-0.003, getSignificantPercentDigits(-0.003))).toBe("\u22120.003%");
    expect(getChangeDirection(-0.003, getSignificantPercentDigits(-0.003))).toBe("down");
  });
});
