import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  computeLookbackBars,
  findAlertContextStart,
  hasAlertContext,
  type AlertRuleSpec,
} from "@/lib/kpi/alert-rules";
import { computeTradingDate } from "@/lib/kpi/trading-day";
import { computeAlertFirings, diffAlertSpan, type StoredAlert } from "@/lib/kpi/alert-span";
import type { FactBar } from "@/lib/kpi/types";

const M = 60_000;
const T0 = Date.parse("2026-03-12T14:30:00Z");

function closes(...values: number[]): FactBar[] {
  return values.map((close, i) => ({
    symbol: "AAPL",
    ts: T0 + i * M,
    tradeDate: "2026-03-12",
    open: close,
    high: close,
    low: close,
    close,
    volume: 100,
    ma5: null,
    ma20: null,
    ema20: null,
    vwap: null,
    isFinal: true,
  }));
}

const RULE: AlertRuleSpec = {
  id: 7,
  version: 2,
  condition: { type: "price_cross", direction: "up", level: 100 },
  cooldownMinutes: 3,
};

const stored = (minute: number, overrides: Partial<StoredAlert> = {}): StoredAlert => ({
  ruleId: 7,
  ruleVersion: 2,
  symbol: "AAPL",
  barTs: T0 + minute * M,
  values: { level: 100, prevClose: 99, close: 101 },
  isRetracted: false,
  ...overrides,
});

describe("computeAlertFirings", () => {
  it("applies the cooldown per rule, seeded by the last event before the span", () => {
    const bars = closes(99, 101, 99, 101, 99, 101);
    const all = computeAlertFirings("AAPL", bars, 0, [RULE], new Map());
    expect(all.map((f) => (f.barTs - T0) / M)).toEqual([1, 5]);
    const seeded = computeAlertFirings("AAPL", bars, 4, [RULE], new Map([[7, T0 + 3 * M]]));
    expect(seeded.map((f) => (f.barTs - T0) / M)).toEqual([]);
  });

  it("recomputing a suffix with the right seed equals evaluating the whole series", () => {
    const bars = closes(99, 101, 99, 101, 99, 101, 99, 99, 101);
    const whole = computeAlertFirings("AAPL", bars, 0, [RULE], new Map());
    for (let from = 1; from < bars.length; from++) {
      const before = whole.filter((f) => f.barTs < bars[from]!.ts);
      const seed = new Map(before.length ? [[7, before[before.length - 1]!.barTs]] : []);
      const suffix = computeAlertFirings("AAPL", bars, from, [RULE], seed);
      expect([...before, ...suffix]).toEqual(whole);
    }
  });
});

describe("diffAlertSpan", () => {
  it("inserts new events and leaves identical stored ones alone", () => {
    const computed = computeAlertFirings("AAPL", closes(99, 101, 99, 99, 99, 101), 0, [RULE], new Map());
    const diff = diffAlertSpan(computed, [stored(1)]);
    expect(diff.inserted.map((e) => (e.barTs - T0) / M)).toEqual([5]);
    expect(diff.updated).toEqual([]);
    expect(diff.retracted).toEqual([]);
  });

  it("retracts an active event a revision undid, and revives a retracted one that fires again", () => {
    const undone = diffAlertSpan(computeAlertFirings("AAPL", closes(99, 100), 0, [RULE], new Map()), [
      stored(1),
    ]);
    expect(undone.retracted).toEqual([stored(1)]);
    const back = diffAlertSpan(computeAlertFirings("AAPL", closes(99, 101), 0, [RULE], new Map()), [
      stored(1, { isRetracted: true }),
    ]);
    expect(back.updated.map((e) => e.barTs)).toEqual([T0 + M]);
    expect(back.retracted).toEqual([]);
  });

  it("updates an active event whose values a revision changed", () => {
    const diff = diffAlertSpan(computeAlertFirings("AAPL", closes(99, 102), 0, [RULE], new Map()), [
      stored(1),
    ]);
    expect(diff.updated).toHaveLength(1);
    expect(diff.updated[0]!.values.close).toBe(102);
  });

  it("never retracts a retracted event twice", () => {
    const diff = diffAlertSpan([], [stored(1, { isRetracted: true })]);
    expect(diff.retracted).toEqual([]);
  });
});

describe("findAlertContextStart", () => {
  const RULES: AlertRuleSpec[] = [
    {
      id: 1,
      version: 1,
      condition: { type: "price_cross", direction: "up", level: 100 },
      cooldownMinutes: 0,
    },
    {
      id: 2,
      version: 1,
      condition: { type: "window_gain", windowMinutes: 60, direction: "above", thresholdPct: 0.5 },
      cooldownMinutes: 0,
    },
    {
      id: 3,
      version: 1,
      condition: { type: "volume_spike", factor: 1.5, lookbackBars: 3 },
      cooldownMinutes: 0,
    },
    {
      id: 4,
      version: 1,
      condition: { type: "day_change", direction: "below", thresholdPct: -1 },
      cooldownMinutes: 0,
    },
    {
      id: 5,
      version: 1,
      condition: { type: "opening_gap", direction: "up", minGapPct: 0.2 },
      cooldownMinutes: 0,
    },
    {
      id: 6,
      version: 1,
      condition: { type: "indicator_cross", indicator: "ma20", direction: "down" },
      cooldownMinutes: 0,
    },
  ];
  const lookback = Math.max(...RULES.map((r) => computeLookbackBars(r.condition)));

  it("reaches back to the start of the 60-minute window when that lies in the day before (India's half-hour midnight)", () => {
    // Every minute from 18:00 to 18:40 UTC; midnight in India is 18:30 UTC, inside the window 18:00–19:00.
    const start = Date.parse("2026-03-12T18:00:00Z");
    const bars: FactBar[] = Array.from({ length: 41 }, (_, i) => {
      const ts = start + i * M;
      return {
        ...closes(100)[0]!,
        ts,
        tradeDate: computeTradingDate(ts, "Asia/Kolkata"),
        open: i === 0 ? 99 : 100,
        close: i === 35 ? 101 : 100,
      };
    });
    const from = 35;
    const rule: AlertRuleSpec = {
      id: 9,
      version: 1,
      condition: { type: "window_gain", windowMinutes: 60, direction: "above", thresholdPct: 0.5 },
      cooldownMinutes: 0,
    };
    const at = { ts: (i: number) => bars[i]!.ts, tradeDate: (i: number) => bars[i]!.tradeDate };
    expect(findAlertContextStart(at, from, 0)).toBe(0);
    // Against the window's first open (99) the gain was above 0.5% already: nothing fires at 18:35.
    expect(computeAlertFirings("AAPL", bars, from, [rule], new Map())).toEqual([]);
  });

  it("starts the copy where the firings from it equal those from the whole series, and no later than needed", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Mostly the next minute, now and then a jump into a later day.
            gap: fc.oneof(
              { weight: 20, arbitrary: fc.integer({ min: 1, max: 2 }) },
              { weight: 1, arbitrary: fc.integer({ min: 300, max: 1_500 }) },
            ),
            close: fc.integer({ min: 95, max: 105 }),
            volume: fc.integer({ min: 0, max: 500 }),
          }),
          { minLength: 2, maxLength: 300 },
        ),
        fc.nat(),
        // A day that starts on the half hour (India) has 60-minute windows reaching into the day before.
        fc.constantFrom("America/New_York", "Asia/Kolkata"),
        (steps, pick, zone) => {
          let ts = Date.parse("2026-03-12T13:00:00Z");
          const bars: FactBar[] = steps.map((s, i) => {
            ts += s.gap * M;
            return {
              symbol: "AAPL",
              ts,
              tradeDate: computeTradingDate(ts, zone),
              open: s.close - 0.5,
              high: s.close + 1,
              low: s.close - 1,
              close: s.close,
              volume: s.volume,
              ma5: null,
              ma20: i % 3 === 0 ? null : s.close + 0.25,
              ema20: null,
              vwap: null,
              isFinal: true,
            };
          });
          const from = pick % bars.length;
          const start = findAlertContextStart(
            { ts: (i) => bars[i]!.ts, tradeDate: (i) => bars[i]!.tradeDate },
            from,
            lookback,
          );
          expect(start).toBeLessThanOrEqual(from);
          const tail = bars.slice(start);
          expect(computeAlertFirings("AAPL", tail, from - start, RULES, new Map())).toEqual(
            computeAlertFirings("AAPL", bars, from, RULES, new Map()),
          );
          // A copy that starts later holds every bar of the context, so it has the context the whole has.
          if (start > 0) expect(hasAlertContext(tail, false, from - start, lookback)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
