import { describe, expect, it } from "vitest";

import {
  computeTradingDayWindow,
  computeTradingDate,
  computeZonedTimestamp,
  findDayStart,
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

describe("computeZonedTimestamp", () => {
  const iso = (date: string, minuteOfDay: number, timeZone = NY) =>
    new Date(computeZonedTimestamp(date, minuteOfDay, timeZone)).toISOString();

  it("turns a local session time into the instant, on both sides of DST", () => {
    expect(iso("2026-03-12", 570)).toBe("2026-03-12T13:30:00.000Z");
    expect(iso("2026-11-23", 570)).toBe("2026-11-23T14:30:00.000Z");
    expect(iso("2026-03-08", 180)).toBe("2026-03-08T07:00:00.000Z");
    expect(iso("2026-08-04", 540, "Europe/Berlin")).toBe("2026-08-04T07:00:00.000Z");
  });

  it("moves a local time in the spring-forward gap forward by the hour skipped", () => {
    // 2026-03-08 02:30 does not exist in New York: clocks jump from 01:59:59 EST to 03:00 EDT.
    expect(iso("2026-03-08", 119)).toBe("2026-03-08T06:59:00.000Z"); // 01:59 EST
    expect(iso("2026-03-08", 150)).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    expect(iso("2026-03-08", 180)).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
  });

  it("takes the first of the two instants of a local time in the fall-back overlap", () => {
    // 2026-11-01 01:30 happens twice in New York: at 05:30 UTC (EDT) and at 06:30 UTC (EST).
    expect(iso("2026-11-01", 90)).toBe("2026-11-01T05:30:00.000Z");
    expect(iso("2026-11-01", 150)).toBe("2026-11-01T07:30:00.000Z"); // 02:30 EST, after the overlap
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

describe("findDayStart", () => {
  const dates = ["2026-03-12", "2026-03-12", "2026-03-13", "2026-03-13", "2026-03-13", "2026-03-16"];
  const at = (i: number) => dates[i]!;

  it("walks back to the first bar of the bar's trading day", () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => findDayStart(at, i))).toEqual([0, 0, 2, 2, 2, 5]);
  });

  it("reads no bar before the day's first nor after the given one", () => {
    const read: number[] = [];
    findDayStart((i) => (read.push(i), at(i)), 4);
    expect(read.sort()).toEqual([1, 2, 3, 4]);
  });
});
