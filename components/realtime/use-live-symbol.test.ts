import { describe, expect, it } from "vitest";

import type { SymbolView } from "@/components/realtime/symbol-view";
import { applySymbolUpdate, isOmissionInView } from "@/components/realtime/use-live-symbol";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";
import { makeSymbolUpdate } from "@/tests/support/symbol-update";

const MINUTE = 60_000;
const T0 = Date.parse("2026-03-13T14:30:00Z");

const bar = (minute: number, close: number, tradeDate = "2026-03-13"): FactBar => ({
  symbol: "AAPL",
  ts: T0 + minute * MINUTE,
  tradeDate,
  open: close,
  high: close,
  low: close,
  close,
  volume: 10,
  ma5: null,
  ma20: null,
  ema20: null,
  vwap: null,
  isFinal: false,
});
const day = (tradeDate: string, close: number): DailyStat => ({
  symbol: "AAPL",
  tradeDate,
  open: close,
  high: close,
  low: close,
  close,
  volume: 10,
  prevClose: null,
  changePct: null,
  range: 0,
  rangePct: 0,
  vwap: null,
  barCount: 1,
  firstTs: T0,
  lastTs: T0,
});
const window5 = (minute: number, gainPct: number): WindowKpi => ({
  symbol: "AAPL",
  windowMinutes: 5,
  windowStart: T0 + minute * MINUTE,
  windowEnd: T0 + (minute + 5) * MINUTE,
  avgPrice: 1,
  vwap: null,
  totalVolume: 10,
  gainPct,
  firstOpen: 1,
  lastClose: 1,
  high: 1,
  low: 1,
  barCount: 5,
});
const update = makeSymbolUpdate;

const view: SymbolView = {
  bars: [bar(0, 100), bar(1, 101)],
  day: day("2026-03-13", 101),
  windows: [window5(0, 1)],
  days: [day("2026-03-12", 99), day("2026-03-13", 101)],
};

describe("applySymbolUpdate", () => {
  it("replaces a revised bar and appends a new one, in order", () => {
    const next = applySymbolUpdate(view, update({ bars: [bar(2, 103), bar(1, 102)] }), "session");
    expect(next.bars.map((b) => b.close)).toEqual([100, 102, 103]);
  });

  it("takes the update's day and puts it in the daily history, replacing the same date", () => {
    const next = applySymbolUpdate(view, update({ day: day("2026-03-13", 105) }), "session");
    expect(next.day?.close).toBe(105);
    expect(next.days.map((d) => [d.tradeDate, d.close])).toEqual([
      ["2026-03-12", 99],
      ["2026-03-13", 105],
    ]);
  });

  it("ignores a day older than the one shown (a late bar of yesterday)", () => {
    const next = applySymbolUpdate(view, update({ day: day("2026-03-12", 1) }), "session");
    expect(next.day).toBe(view.day);
    expect(next.days).toBe(view.days);
  });

  it("keeps the newest window of each length: a later one replaces it, an earlier one does not", () => {
    expect(applySymbolUpdate(view, update({ windows: [window5(5, 2)] }), "session").windows).toEqual([
      window5(5, 2),
    ]);
    expect(applySymbolUpdate(view, update({ windows: [window5(-5, 9)] }), "session").windows).toEqual([
      window5(0, 1),
    ]);
  });

  it("keeps only the range: a new trading day's first bar starts a new session", () => {
    const next = applySymbolUpdate(view, update({ bars: [bar(24 * 60, 110, "2026-03-14")] }), "session");
    expect(next.bars.map((b) => b.tradeDate)).toEqual(["2026-03-14"]);
  });
});

describe("isOmissionInView", () => {
  const today = (minute: number) => bar(minute, 100);
  const yesterday = (minute: number) => bar(minute - 1_440, 90, "2026-03-12");
  const sent = (bars: FactBar[], omittedFrom?: number) => ({ ...update({ bars }), omittedFrom });

  it("is false for an update that left nothing out", () => {
    expect(isOmissionInView(view, sent([today(2)]), "session")).toBe(false);
  });

  it("is true when the bars left out may fall in the range", () => {
    // Today's bars from minute 3 on, the ones before minute 70 left out: inside today's session.
    const bars = Array.from({ length: 60 }, (_, i) => today(70 + i));
    expect(isOmissionInView(view, sent(bars, T0 + 3 * MINUTE), "session")).toBe(true);
    // Yesterday's bars on a five-day chart that shows two days.
    const old = Array.from({ length: 60 }, (_, i) => yesterday(100 + i));
    expect(isOmissionInView(view, sent(old, T0 - 1_440 * MINUTE), "5d")).toBe(true);
    // An update that carried only a day (no bars) cannot be placed: read back.
    expect(isOmissionInView(view, sent([], T0), "session")).toBe(true);
  });

  it("is false when the range, with the update merged, leaves out bars as new as the update's first", () => {
    // A backfill of yesterday on today's session chart: yesterday lies outside it, left out or not.
    const old = Array.from({ length: 60 }, (_, i) => yesterday(100 + i));
    expect(isOmissionInView(view, sent(old, T0 - 1_440 * MINUTE), "session")).toBe(false);
    // The last hour: bars three hours older than the newest are outside it.
    const hourView = { ...view, bars: Array.from({ length: 60 }, (_, i) => today(200 + i)) };
    const early = Array.from({ length: 60 }, (_, i) => today(60 + i));
    expect(isOmissionInView(hourView, sent(early, T0), "1h")).toBe(false);
  });
});
