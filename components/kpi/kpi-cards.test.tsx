// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { ChangeText } from "@/components/kpi/change-text";
import { KpiCards } from "@/components/kpi/kpi-cards";
import type { DailyStat, FactBar } from "@/lib/kpi/types";

const bar: FactBar = {
  symbol: "AAPL",
  ts: Date.parse("2026-03-13T19:59:00Z"),
  tradeDate: "2026-03-13",
  open: 250,
  high: 251,
  low: 249.5,
  close: 250.12,
  volume: 100,
  ma5: null,
  ma20: null,
  ema20: null,
  vwap: null,
  isFinal: true,
};
const day: DailyStat = {
  symbol: "AAPL",
  tradeDate: "2026-03-13",
  open: 255,
  high: 256.789,
  low: 249.5,
  close: 250.12,
  volume: 61_150_000,
  prevClose: 253,
  changePct: -1.1383,
  range: 7.289,
  rangePct: 2.92,
  vwap: 252,
  barCount: 390,
  firstTs: 0,
  lastTs: 0,
};

afterEach(cleanup);

describe("KpiCards", () => {
  it("formats price, signed change, compact volume, day extremes and the bar time in the exchange's zone", () => {
    render(<KpiCards latestBar={bar} day={day} exchangeTimeZone="America/New_York" lastUpdateAt={null} />);
    expect(screen.getByTestId("kpi-last-price-value").textContent).toBe("$250.12");
    expect(screen.getByTestId("kpi-change-value").textContent).toBe("▼ \u22121.14%");
    expect(screen.getByTestId("kpi-change-value").dataset.direction).toBe("down");
    expect(screen.getByTestId("kpi-volume").textContent).toContain("61.15M");
    expect(screen.getByTestId("kpi-day-high").textContent).toContain("$256.79");
    expect(screen.getByTestId("kpi-day-low").textContent).toContain("$249.50");
    expect(screen.getByTestId("kpi-last-bar-time").textContent).toBe("Mar 13, 15:59 EDT");
    expect(screen.getByTestId("kpi-last-update").textContent).toContain("from history");
  });

  it("shows dashes, not NaN, before any data", () => {
    render(<KpiCards latestBar={null} day={null} exchangeTimeZone="America/New_York" lastUpdateAt={null} />);
    expect(screen.getByTestId("kpi-last-price-value").textContent).toBe("—");
    expect(screen.getByTestId("kpi-change-value").textContent).toBe("—");
  });
});

describe("ChangeText", () => {
  it("colours gains and marks them with an arrow", () => {
    render(<ChangeText value={0.5} testId="c" />);
    const el = screen.getByTestId("c");
    expect(el.textContent).toBe("▲ +0.50%");
    expect(el.className).toContain("text-up");
  });
});
