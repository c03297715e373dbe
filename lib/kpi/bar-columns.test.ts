import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { BAR_KEYS, copyBarInto, toBar } from "@/lib/kpi/bar";
import {
  createBarColumns,
  dropOldestBars,
  findColumnsLowerBound,
  getFactBar,
  hasIndicators,
  insertBar,
  readBar,
  reviseBar,
  setIndicators,
  toFactBars,
} from "@/lib/kpi/bar-columns";
import type { Bar, FactBar } from "@/lib/kpi/types";

const M = 60_000;
const T0 = Date.parse("2026-03-12T14:30:00Z");

function fact(i: number, over: Partial<FactBar> = {}): FactBar {
  return {
    ts: T0 + i * M,
    open: 100 + i,
    high: 101.25 + i,
    low: 99.5 + i,
    close: 100.125 + i,
    volume: 1_000 + i,
    symbol: "AAPL",
    tradeDate: "2026-03-12",
    ma5: i >= 4 ? 102.1 + i : null,
    ma20: null,
    ema20: i % 2 === 0 ? -0.5 : null,
    vwap: 100.3 + i,
    isFinal: i % 3 === 0,
    ...over,
  };
}

describe("bar columns", () => {
  it("give back every field of every bar as it went in: nulls, negative numbers, finality, dates", () => {
    const bars = Array.from({ length: 40 }, (_, i) => fact(i, i >= 30 ? { tradeDate: "2026-03-13" } : {}));
    const columns = createBarColumns("AAPL", bars, 0);
    expect(columns.length).toBe(40);
    expect(toFactBars(columns)).toEqual(bars);
    expect(toFactBars(columns, 10, 12)).toEqual(bars.slice(10, 12));
    expect(readBar(columns, 7, { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 })).toEqual(
      toBar(bars[7]!),
    );
  });

  it("keep the largest volumes and prices a bar can carry exactly", () => {
    const big = fact(0, { volume: Number.MAX_SAFE_INTEGER, close: 123_456.789_012_345, vwap: 1e-12 });
    expect(getFactBar(createBarColumns("AAPL", [big]), 0)).toEqual(big);
  });

  it("insert anywhere, drop the oldest and find bars by time like a sorted array", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ insert: fc.integer({ min: 0, max: 500 }) }),
            fc.record({ drop: fc.integer({ min: 0, max: 30 }) }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const columns = createBarColumns("AAPL", [], 0);
          let model: FactBar[] = [];
          for (const op of ops) {
            if ("insert" in op) {
              if (model.some((b) => b.ts === T0 + op.insert * M)) continue;
              const bar = fact(op.insert, { tradeDate: op.insert < 250 ? "2026-03-12" : "2026-03-13" });
              const at = findColumnsLowerBound(columns, bar.ts);
              insertBar(columns, at, bar);
              model = [...model, bar].sort((a, b) => a.ts - b.ts);
            } else {
              dropOldestBars(columns, op.drop);
              model = model.slice(op.drop);
            }
            expect(columns.length).toBe(model.length);
          }
          expect(toFactBars(columns)).toEqual(model);
          for (const probe of [T0 - M, T0 + 100 * M, T0 + 100 * M + 1, T0 + 600 * M]) {
            expect(findColumnsLowerBound(columns, probe)).toBe(model.filter((b) => b.ts < probe).length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("revise a bar's prices and volume without touching its indicators, and set those apart", () => {
    const columns = createBarColumns("AAPL", [fact(0), fact(1)]);
    const revision: Bar = { ts: T0 + M, open: 1, high: 2, low: 0.5, close: 1.5, volume: 7 };
    reviseBar(columns, 1, revision);
    expect(getFactBar(columns, 1)).toEqual({ ...fact(1), ...revision });
    expect(hasIndicators(columns, 1, null, null, null, 101.3, false)).toBe(true);
    expect(hasIndicators(columns, 1, 1, null, null, 101.3, false)).toBe(false);
    expect(hasIndicators(columns, 1, null, null, null, 101.3, true)).toBe(false);
    setIndicators(columns, 1, 1.5, 2.5, null, null, true);
    expect(getFactBar(columns, 1)).toMatchObject({
      ma5: 1.5,
      ma20: 2.5,
      ema20: null,
      vwap: null,
      isFinal: true,
    });
    expect(getFactBar(columns, 0)).toEqual(fact(0));
  });

  it("give back the room of dropped bars once it is more than twice what is kept", () => {
    const columns = createBarColumns(
      "AAPL",
      Array.from({ length: 1_000 }, (_, i) => fact(i)),
      0,
    );
    const before = columns.data.length;
    dropOldestBars(columns, 990);
    expect(columns.data.length).toBeLessThan(before / 10);
    expect(toFactBars(columns)).toEqual(Array.from({ length: 10 }, (_, i) => fact(990 + i)));
  });
});

describe("copyBarInto", () => {
  it("copies every field of a bar (BAR_KEYS) and nothing else", () => {
    const source = { ...fact(3), extra: 1 };
    const target: Bar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    copyBarInto(target, source);
    expect(Object.keys(target).sort()).toEqual(Object.keys(BAR_KEYS).sort());
    for (const key of Object.keys(BAR_KEYS) as (keyof Bar)[]) expect(target[key]).toBe(source[key]);
  });
});
