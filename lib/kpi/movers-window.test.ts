import { describe, expect, it } from "vitest";

import {
  describeWindowNotOffered,
  formatMoversWindowLabel,
  formatMoversWindowParam,
  isKpiWindow,
  isMoversWindow,
  isTradingDayWindow,
  listMoversWindows,
  parseMoversWindowParam,
  TRADING_DAY_WINDOW,
} from "@/lib/kpi/movers-window";

describe("movers window", () => {
  it("is 0 for the trading day, the windowMinutes of the market.kpis v1 event", () => {
    expect(TRADING_DAY_WINDOW).toBe(0);
    expect(isTradingDayWindow(0)).toBe(true);
    expect(isTradingDayWindow(5)).toBe(false);
  });

  it("spells the trading day `day` in a URL and reads `day` and `0` back as it", () => {
    expect(formatMoversWindowParam(TRADING_DAY_WINDOW)).toBe("day");
    expect(parseMoversWindowParam("day")).toBe(TRADING_DAY_WINDOW);
    expect(parseMoversWindowParam(" Day ")).toBe(TRADING_DAY_WINDOW);
    expect(parseMoversWindowParam("0")).toBe(TRADING_DAY_WINDOW);
  });

  it("round-trips window lengths up to one day", () => {
    for (const w of [0, 1, 5, 15, 60, 1440])
      expect(parseMoversWindowParam(formatMoversWindowParam(w))).toBe(w);
  });

  it("rejects what is neither the day nor whole minutes up to 1440", () => {
    for (const text of ["", "1441", "-5", "5.5", "1e2", "week", "15m"])
      expect(parseMoversWindowParam(text), text).toBeNull();
  });

  it("labels the day and the window lengths", () => {
    expect([0, 5, 15, 60, 120, 90].map(formatMoversWindowLabel)).toEqual([
      "Day",
      "5 m",
      "15 m",
      "1 h",
      "2 h",
      "90 m",
    ]);
  });
});

describe("movers windows of a deployment", () => {
  it("are the configured window lengths in their order, then the trading day", () => {
    expect(listMoversWindows([5, 15, 60])).toEqual([5, 15, 60, TRADING_DAY_WINDOW]);
    expect(listMoversWindows([])).toEqual([TRADING_DAY_WINDOW]);
  });

  it("include the trading day and each configured length, and no other length", () => {
    const kpiWindows = [5, 15];
    expect(isMoversWindow(TRADING_DAY_WINDOW, kpiWindows)).toBe(true);
    expect(isMoversWindow(5, kpiWindows)).toBe(true);
    expect(isMoversWindow(15, kpiWindows)).toBe(true);
    expect(isMoversWindow(60, kpiWindows)).toBe(false);
    expect(isMoversWindow(1, [])).toBe(false);
  });
});

describe("windows a deployment does not have", () => {
  it("are told apart from its KPI windows (the trading day is no KPI window) in one wording", () => {
    expect(isKpiWindow(15, [5, 15, 60])).toBe(true);
    expect(isKpiWindow(7, [5, 15, 60])).toBe(false);
    expect(isKpiWindow(TRADING_DAY_WINDOW, [5, 15, 60])).toBe(false);
    expect(describeWindowNotOffered(7, listMoversWindows([5, 15, 60]))).toBe(
      "window: 7 is not a window of this deployment; one of 5, 15, 60, day",
    );
    expect(describeWindowNotOffered(TRADING_DAY_WINDOW, [5, 15])).toBe(
      "window: day is not a window of this deployment; one of 5, 15",
    );
  });
});
