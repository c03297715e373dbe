import { describe, expect, it } from "vitest";

import {
  addWeekdays,
  computeLocalMinuteOfDay,
  computeTradingDayWindow,
  computeTradingDate,
  computeUtcOffsetMinutes,
  computeZonedTimestamp,
  isWeekend,
} from "@/lib/kpi/trading-day";

const NY = "America/New_York";

describe("computeTradingDate", () => {
  it("uses the exchange's calendar day, not UTC's", () => {
    // 2026-03-13 01:00 UTC is still 2026-03-12 (21:00 EDT) in New York.
    expect(computeTradingDate(Date.parse("2026-03-13T01:00:00Z"), NY)).toBe("2026-03-12");
    expect(computeTradingDate(Date.parse("2026-03-13T13:30:00Z"), NY)).toBe("2026-03-13");
  });

  it("follows daylight saving time (EST in winter, EDT in summer)", () => {
    expect(computeTradingDate(Date.parse("2026-01-15T04:59:00Z"), NY)).toBe("2026-01-14");
    expect(computeTradingDate(Date.parse("2026-01-15T05:00:00Z"), NY)).toBe("2026-01-15");
    expect(computeTradingDate(Date.parse("2026-07-15T03:59:00Z"), NY)).toBe("2026-07-14");
    expect(computeTradingDate(Date.parse("2026-07-15T04:00:00Z"), NY)).toBe("2026-07-15");
  });

  it("handles other exchanges' zones (Xetra)", () => {
    expect(computeTradingDate(Date.parse("2023-08-04T22:30:00Z"), "Europe/Berlin")).toBe("2023-08-05");
  });
});

describe("computeLocalMinuteOfDay", () => {
  it("gives 570 for the 09:30 New York open", () => {
    expect(computeLocalMinuteOfDay(Date.parse("2026-03-12T13:30:00Z"), NY)).toBe(570);
  });
});

describe("zoned time helpers", () => {
  it("knows New York's offset in summer and winter", () => {
    expect(computeUtcOffsetMinutes(Date.parse("2026-03-12T13:30:00Z"), NY)).toBe(-240);
    expect(computeUtcOffsetMinutes(Date.parse("2026-11-23T13:30:00Z"), NY)).toBe(-300);
  });

  it("turns a local session time into the instant, on both sides of DST", () => {
    expect(new Date(computeZonedTimestamp("2026-03-12", 570, NY)).toISOString()).toBe(
      "2026-03-12T13:30:00.000Z",
    );
    expect(new Date(computeZonedTimestamp("2026-11-23", 570, NY)).toISOString()).toBe(
      "2026-11-23T14:30:00.000Z",
    );
    expect(new Date(computeZonedTimestamp("2026-03-08", 180, NY)).toISOString()).toBe(
      "2026-03-08T07:00:00.000Z",
    );
  });

  it("adds weekdays across weekends", () => {
    expect(addWeekdays("2026-03-13", 1)).toBe("2026-03-16"); // Friday → Monday
    expect(addWeekdays("2026-03-16", -1)).toBe("2026-03-13");
    expect(addWeekdays("2026-03-12", 0)).toBe("2026-03-12");
    expect(isWeekend("2026-03-14")).toBe(true);
    expect(isWeekend("2026-03-16")).toBe(false);
  });
});

describe("computeTradingDayWindow", () => {
  const iso = (w: { start: number; end: number }) => [
    new Date(w.start).toISOString(),
    new Date(w.end).toISOString(),
  ];

  it("runs from local midnight to local midnight in the exchange's zone, not UTC's", () => {
    expect(iso(computeTradingDayWindow("2026-03-12", NY))).toEqual([
      "2026-03-12T04:00:00.000Z",
      "2026-03-13T04:00:00.000Z",
    ]);
    expect(iso(computeTradingDayWindow("2026-01-15", NY))).toEqual([
      "2026-01-15T05:00:00.000Z",
      "2026-01-16T05:00:00.000Z",
    ]);
  });

  it("lasts 23 hours on the day clocks spring forward and 25 on the day they fall back", () => {
    const spring = computeTradingDayWindow("2026-03-08", NY);
    const fall = computeTradingDayWindow("2026-11-01", NY);
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    expect((fall.end - fall.start) / 3_600_000).toBe(25);
  });

  it("holds exactly the bars computeTradingDate assigns to that day", () => {
    const { start, end } = computeTradingDayWindow("2026-03-12", NY);
    expect(computeTradingDate(start - 60_000, NY)).toBe("2026-03-11");
    expect(computeTradingDate(start, NY)).toBe("2026-03-12");
    expect(computeTradingDate(end - 60_000, NY)).toBe("2026-03-12");
    expect(computeTradingDate(end, NY)).toBe("2026-03-13");
  });

  it("crosses a month end and works east of UTC (Xetra)", () => {
    expect(iso(computeTradingDayWindow("2026-03-31", "Europe/Berlin"))).toEqual([
      "2026-03-30T22:00:00.000Z",
      "2026-03-31T22:00:00.000Z",
    ]);
  });
});
