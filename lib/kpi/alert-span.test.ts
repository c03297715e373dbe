import { describe, expect, it } from "vitest";

import type { AlertRuleSpec } from "@/lib/kpi/alert-rules";
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
