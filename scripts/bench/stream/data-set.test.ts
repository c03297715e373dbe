import { describe, expect, it } from "vitest";

import { parseTickMessage } from "@/lib/events/tick-v1";

import { compareBars } from "./compare-rows";
import {
  countEvents,
  getBarKey,
  getEventBar,
  getLatestSnapshotSeq,
  getSeqOfVolume,
  listExpectedBars,
  locateEvent,
  planSteadyDataSet,
  toTick,
  type BenchBar,
  type DataSet,
} from "./data-set";

const dataSet: DataSet = { symbols: 20, minutes: 7, firstTs: Date.parse("2026-03-16T13:30:00Z") };

/** The latest snapshot of every bar by brute force: replaying the events in order. */
function replay(sent: number): Map<string, BenchBar> {
  const bars = new Map<string, BenchBar>();
  for (let seq = 0; seq < sent; seq++) {
    const bar = getEventBar(dataSet, seq);
    bars.set(getBarKey(bar), bar);
  }
  return bars;
}

describe("the benchmark's data set", () => {
  it("has every symbol once a minute plus a revision of one bar in ten (1,000 × 100 → 110,000)", () => {
    expect(countEvents({ symbols: 1_000, minutes: 100, firstTs: 0 })).toBe(110_000);
    expect(countEvents({ symbols: 10_000, minutes: 10, firstTs: 0 })).toBe(110_000);
    const revisions = Array.from({ length: countEvents(dataSet) }, (_, seq) =>
      locateEvent(dataSet, seq),
    ).filter((e) => e.isRevision);
    expect(revisions).toHaveLength(14);
    for (const r of revisions) expect((r.symbol + r.minute) % 10).toBe(0);
  });

  it("refuses a symbol count that is not a multiple of ten", () => {
    expect(() => countEvents({ symbols: 15, minutes: 1, firstTs: 0 })).toThrow(/multiple of 10/);
  });

  it("makes valid ticks (the producer sends them unparsed) whose volume names their event", () => {
    for (let seq = 0; seq < countEvents(dataSet); seq++) {
      const bar = getEventBar(dataSet, seq);
      expect(parseTickMessage(JSON.stringify(toTick(bar, 1_764_500_000_000)))).toMatchObject({ ok: true });
      expect(getSeqOfVolume(bar.volume)).toBe(seq);
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.low).toBeGreaterThan(0);
      expect((bar.ts - dataSet.firstTs) % 60_000).toBe(0);
    }
  });

  it("gives a revision values of its own, so that the stored row shows which snapshot won", () => {
    const revision = Array.from({ length: countEvents(dataSet) }, (_, seq) => seq).find(
      (seq) => locateEvent(dataSet, seq).isRevision,
    )!;
    const { symbol, minute } = locateEvent(dataSet, revision);
    const first = getEventBar(dataSet, minute * 22 + symbol);
    expect(getBarKey(first)).toBe(getBarKey(getEventBar(dataSet, revision)));
    expect(first.close).not.toBe(getEventBar(dataSet, revision).close);
  });

  it("computes each bar's latest snapshot as a replay of the events does, at any cut-off", () => {
    for (const sent of [0, 1, 19, 20, 21, 22, 23, 50, countEvents(dataSet) - 1, countEvents(dataSet)])
      expect(listExpectedBars(dataSet, sent)).toEqual(replay(sent));
    expect(getLatestSnapshotSeq(dataSet, 3, 0, 3)).toBeNull();
  });

  it("dates a steady run's bars up to the current minute, never after it", () => {
    const now = Date.parse("2026-11-30T15:04:31Z");
    const planned = planSteadyDataSet(1_000, 150_000, now);
    expect(countEvents(planned)).toBeGreaterThanOrEqual(150_000);
    const last = getEventBar(planned, countEvents(planned) - 1);
    expect(last.ts).toBe(Date.parse("2026-11-30T15:04:00Z"));
  });
});

describe("compareBars", () => {
  const expected = listExpectedBars(dataSet, countEvents(dataSet));
  const stored = () => [...expected.values()].map((b) => ({ ...b }));

  it("finds no difference when the stored rows are the latest snapshots", () => {
    const result = compareBars(expected, stored());
    expect(result).toMatchObject({ expected: 140, stored: 140, differences: 0, examples: [] });
  });

  it("counts a first snapshot stored instead of its revision as a wrong value", () => {
    const rows = stored();
    const revised = rows.findIndex((b) => locateEvent(dataSet, getSeqOfVolume(b.volume)).isRevision);
    const { symbol, minute } = locateEvent(dataSet, getSeqOfVolume(rows[revised]!.volume));
    rows[revised] = getEventBar(dataSet, minute * 22 + symbol);
    const result = compareBars(expected, rows);
    expect(result).toMatchObject({ mismatched: 1, differences: 1 });
    expect(result.examples[0]).toMatch(/close .* ≠ /);
  });

  it("counts a missing bar, a bar nobody produced and a bar stored twice", () => {
    const rows = stored();
    const dropped = rows.pop()!;
    rows.push({ ...rows[0]! });
    rows.push({ ...dropped, symbol: "ZZZ" });
    const result = compareBars(expected, rows);
    expect(result).toMatchObject({ missing: 1, unexpected: 2, mismatched: 0, differences: 3 });
  });
});
