import { describe, expect, it } from "vitest";

import { mergeBars } from "@/components/realtime/merge-bars";
import type { FactBar } from "@/lib/kpi/types";

const bar = (minute: number, close: number): FactBar => ({
  symbol: "AAPL",
  ts: minute * 60_000,
  tradeDate: "2026-03-12",
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  ma5: null,
  ma20: null,
  ema20: null,
  vwap: null,
  isFinal: false,
});

describe("mergeBars: backfill plus live updates", () => {
  it("leaves no gap and no duplicate when live updates overlap the REST backfill", () => {
    const live = [bar(4, 14), bar(5, 15)]; // arrived while the backfill was in flight
    const backfill = [1, 2, 3, 4].map((m) => bar(m, 10 + m));
    const merged = mergeBars(mergeBars([], backfill), live);
    expect(merged.map((b) => b.ts / 60_000)).toEqual([1, 2, 3, 4, 5]);
  });

  it("lets the later revision of a minute win", () => {
    const merged = mergeBars([bar(1, 10), bar(2, 11)], [bar(2, 12)]);
    expect(merged.map((b) => b.close)).toEqual([10, 12]);
  });

  it("inserts a late bar in order", () => {
    expect(mergeBars([bar(1, 1), bar(3, 3)], [bar(2, 2)]).map((b) => b.close)).toEqual([1, 2, 3]);
  });

  it("is idempotent, and returns the same array when nothing changed", () => {
    const series = [bar(1, 1), bar(2, 2)];
    expect(mergeBars(series, series)).toBe(series);
    expect(mergeBars(series, [bar(2, 2)])).toBe(series);
    expect(mergeBars(series, [])).toBe(series);
  });
});
