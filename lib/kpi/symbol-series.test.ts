import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { MINUTE_MS } from "@/lib/kpi/durations";
import {
  applyRevisions,
  canRecomputeFrom,
  createSeriesState,
  readSeriesBars,
  trimSeries,
  type SeriesChanges,
  type SeriesState,
} from "@/lib/kpi/symbol-series";
import type { Bar } from "@/lib/kpi/types";

const M = MINUTE_MS;
const DAY1 = Date.parse("2026-03-12T13:30:00Z"); // 09:30 New York
const DAY2 = Date.parse("2026-03-13T13:30:00Z");
const CONFIG = { symbol: "AAPL", timeZone: "America/New_York", windows: [5, 15, 60], finalGraceMs: 30_000 };
const FAR_FUTURE = Date.parse("2030-01-01T00:00:00Z");

const bar = (ts: number, close: number, volume = 100): Bar => ({
  ts,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume,
});

function fresh(): SeriesState {
  return createSeriesState(CONFIG, [], true);
}

describe("applyRevisions: moving averages", () => {
  it("leaves MA 5 / MA 20 / EMA 20 null for the first bars of a symbol", () => {
    const state = fresh();
    const changes = applyRevisions(
      state,
      [0, 1, 2, 3].map((i) => bar(DAY1 + i * M, 10 + i)),
      FAR_FUTURE,
    );
    expect(changes.bars.map((b) => b.ma5)).toEqual([null, null, null, null]);
    expect(changes.bars.every((b) => b.ma20 === null && b.ema20 === null)).toBe(true);
  });

  it("computes MA 5 at the fifth bar and MA 20 / EMA 20 at the twentieth", () => {
    const state = fresh();
    applyRevisions(
      state,
      Array.from({ length: 21 }, (_, i) => bar(DAY1 + i * M, i + 1)),
      FAR_FUTURE,
    );
    const b = readSeriesBars(state);
    expect(b[4]!.ma5).toBe(3); // (1+2+3+4+5)/5
    expect(b[18]!.ma20).toBeNull();
    expect(b[19]!.ma20).toBe(10.5); // (1..20)/20
    expect(b[19]!.ema20).toBe(10.5); // seeded with the first MA 20
    expect(b[20]!.ma20).toBe(11.5);
    expect(b[20]!.ema20).toBeCloseTo(10.5 + (2 / 21) * (21 - 10.5), 12);
  });

  it("treats a gap in minutes as no bar: averages run over the previous bars", () => {
    const state = fresh();
    applyRevisions(
      state,
      [0, 1, 2, 3, 10].map((m, i) => bar(DAY1 + m * M, 10 * (i + 1))),
      FAR_FUTURE,
    );
    expect(readSeriesBars(state)[4]!.ma5).toBe(30);
  });

  it("updates the averages of the bars after a late bar", () => {
    const state = fresh();
    applyRevisions(
      state,
      [0, 1, 2, 3, 5, 6].map((m) => bar(DAY1 + m * M, 10)),
      FAR_FUTURE,
    );
    expect(readSeriesBars(state)[4]!.ma5).toBe(10); // minute 5 with 0,1,2,3,5
    const changes = applyRevisions(state, [bar(DAY1 + 4 * M, 60)], FAR_FUTURE);
    expect(readSeriesBars(state).map((b) => b.ma5)).toEqual([null, null, null, null, 20, 20, 20]);
    expect(changes.bars.map((b) => (b.ts - DAY1) / M)).toEqual([4, 5, 6]);
  });

  it("names the bars it added to the state apart from those it revised or recomputed", () => {
    // A state loaded with three stored bars (minutes 0 to 2).
    const stored = fresh();
    applyRevisions(
      stored,
      [0, 1, 2].map((m) => bar(DAY1 + m * M, 10)),
      FAR_FUTURE,
    );
    const state = createSeriesState(CONFIG, readSeriesBars(stored), true);
    const created = new Set<number>();
    // A revision of minute 1 (minute 2's VWAP follows), a minute 4 after a gap and a minute 5.
    const changes = applyRevisions(
      state,
      [bar(DAY1 + 1 * M, 12), bar(DAY1 + 4 * M, 11), bar(DAY1 + 5 * M, 11)],
      FAR_FUTURE,
      created,
    );
    expect(changes.bars.map((b) => (b.ts - DAY1) / M)).toEqual([1, 2, 4, 5]);
    expect([...created].sort((a, b) => a - b)).toEqual([DAY1 + 4 * M, DAY1 + 5 * M]);
    // An identical revision adds nothing.
    created.clear();
    applyRevisions(state, [bar(DAY1 + 5 * M, 11)], FAR_FUTURE, created);
    expect(created.size).toBe(0);
  });

  it("ignores a revision identical to the stored bar", () => {
    const state = fresh();
    applyRevisions(state, [bar(DAY1, 10)], FAR_FUTURE);
    expect(applyRevisions(state, [bar(DAY1, 10)], FAR_FUTURE)).toEqual({ bars: [], days: [], windows: [] });
  });
});

describe("applyRevisions: finality", () => {
  it("marks a bar final when a later bar arrives or its minute plus grace has passed", () => {
    const state = fresh();
    const now = DAY1 + M + 10_000; // 10 s after the first minute ended: inside the 30 s grace
    applyRevisions(state, [bar(DAY1, 10)], now);
    expect(readSeriesBars(state)[0]!.isFinal).toBe(false);
    const changes = applyRevisions(state, [bar(DAY1 + M, 11)], now);
    expect(changes.bars.map((b) => [b.ts, b.isFinal])).toEqual([
      [DAY1, true],
      [DAY1 + M, false],
    ]);
    // The newest bar becomes final on the next recomputation after its minute plus grace is over.
    const atGraceEnd = applyRevisions(state, [bar(DAY1 + M, 12)], DAY1 + 2 * M + 30_000);
    expect(atGraceEnd.bars.map((b) => [b.ts, b.isFinal])).toEqual([[DAY1 + M, true]]);
  });
});

describe("applyRevisions: day boundary", () => {
  it("splits daily stats by the exchange's day and uses the previous day's close", () => {
    const state = fresh();
    const changes = applyRevisions(
      state,
      [bar(DAY1, 100), bar(DAY1 + 389 * M, 110, 50), bar(DAY2, 121, 10)],
      FAR_FUTURE,
    );
    expect(changes.days.map((d) => [d.tradeDate, d.open, d.close, d.volume, d.prevClose])).toEqual([
      ["2026-03-12", 100, 110, 150, null],
      ["2026-03-13", 121, 121, 10, 110],
    ]);
    expect(changes.days[1]!.changePct).toBeCloseTo(10, 12);
    // Session VWAP restarts on the new day.
    expect(readSeriesBars(state)[2]!.vwap).toBe(121); // typical price (122 + 120 + 121) / 3
  });

  it("recomputes the next day's change % when the previous day's close changes", () => {
    const state = fresh();
    applyRevisions(state, [bar(DAY1, 100), bar(DAY2, 121)], FAR_FUTURE);
    const changes = applyRevisions(state, [bar(DAY1 + 389 * M, 110)], FAR_FUTURE);
    expect(changes.days.map((d) => d.tradeDate)).toEqual(["2026-03-12", "2026-03-13"]);
    expect(changes.days[1]!.changePct).toBeCloseTo(10, 12);
  });
});

describe("applyRevisions: windows", () => {
  it("emits the windows touched by the changed bars for every configured length", () => {
    const state = fresh();
    const changes = applyRevisions(
      state,
      [bar(DAY1, 100), bar(DAY1 + 4 * M, 102), bar(DAY1 + 5 * M, 103)],
      FAR_FUTURE,
    );
    const fives = changes.windows.filter((w) => w.windowMinutes === 5);
    expect(fives.map((w) => [w.windowStart, w.barCount])).toEqual([
      [DAY1, 2],
      [DAY1 + 5 * M, 1],
    ]);
    expect(changes.windows.filter((w) => w.windowMinutes === 60)).toHaveLength(1);
  });
});

describe("history bookkeeping", () => {
  it("refuses to recompute before its loaded history and after trimming asks for a reload", () => {
    const bars = Array.from({ length: 3000 }, (_, i) => bar(DAY1 + i * M, 100 + (i % 7)));
    const state = fresh();
    applyRevisions(state, bars, FAR_FUTURE);
    trimSeries(state);
    expect(state.hasAllHistory).toBe(false);
    expect(state.bars.length).toBeLessThan(3000);
    expect(canRecomputeFrom(state, DAY1 + 2999 * M)).toBe(true);
    expect(canRecomputeFrom(state, DAY1)).toBe(false);
    expect(() => applyRevisions(state, [bar(DAY1, 1)], FAR_FUTURE)).toThrow(/reload|history/);
  });
});

/** Independent reference: recompute every table from the sorted bars with plain loops. */
function reference(bars: Bar[]) {
  const sorted = [...bars].sort((a, b) => a.ts - b.ts);
  const closes = sorted.map((b) => b.close);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  let ema: number | null = null;
  return sorted.map((b, i) => {
    const ma5 = i >= 4 ? mean(closes.slice(i - 4, i + 1)) : null;
    const ma20 = i >= 19 ? mean(closes.slice(i - 19, i + 1)) : null;
    ema = ema === null ? ma20 : ema + (2 / 21) * (b.close - ema);
    return { ts: b.ts, close: b.close, ma5, ma20, ema20: ema };
  });
}

describe("property: arrival order does not matter", () => {
  it("gives the same rows fed in order and shuffled with stale revisions, split in random batches", () => {
    const barsArb = fc
      .uniqueArray(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 80 })
      .chain((minutes) =>
        fc.tuple(
          fc.constant(minutes),
          fc.array(fc.double({ min: 50, max: 150, noNaN: true }), {
            minLength: minutes.length,
            maxLength: minutes.length,
          }),
          fc.array(fc.integer({ min: 0, max: 10_000 }), {
            minLength: minutes.length,
            maxLength: minutes.length,
          }),
          fc.infiniteStream(fc.integer({ min: 0, max: 1_000_000 })),
        ),
      );
    fc.assert(
      fc.property(barsArb, ([minutes, closes, volumes, randoms]) => {
        const finalBars = minutes.map((m, i) => bar(DAY1 + m * M, closes[i]!, volumes[i]));
        const rand = (): number => Number(randoms.next().value);

        const ordered = fresh();
        applyRevisions(ordered, finalBars, FAR_FUTURE);

        // Shuffled: every bar preceded by a stale revision, delivered in random batches.
        const events: { bar: Bar; seq: number }[] = [];
        finalBars.forEach((b, i) => {
          events.push({
            bar: { ...b, close: b.close + 1, high: b.high + 2, volume: b.volume + 5 },
            seq: 2 * i,
          });
          events.push({ bar: b, seq: 2 * i + 1 });
        });
        const order = events
          .map((e) => ({ e, k: rand() }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        // Latest revision per ts wins: keep the stale one only if the final one has not been seen.
        const shuffled = fresh();
        const seen = new Map<number, number>();
        let i = 0;
        const all: SeriesChanges[] = [];
        while (i < order.length) {
          const size = 1 + (rand() % 7);
          const batch = new Map<number, Bar>();
          for (const { bar: b, seq } of order.slice(i, i + size)) {
            if ((seen.get(b.ts) ?? -1) > seq) continue;
            seen.set(b.ts, seq);
            batch.set(b.ts, b);
          }
          all.push(applyRevisions(shuffled, [...batch.values()], FAR_FUTURE));
          i += size;
        }
        // Stale revisions that arrived after their final bar were dropped; those that came first were
        // overwritten. Either way the final state must equal the in-order one exactly.
        expect(readSeriesBars(shuffled)).toEqual(readSeriesBars(ordered));
        const ref = reference(finalBars);
        readSeriesBars(ordered).forEach((b, j) => {
          const r = ref[j]!;
          expect(b.ts).toBe(r.ts);
          for (const key of ["ma5", "ma20", "ema20"] as const) {
            if (r[key] === null) expect(b[key]).toBeNull();
            else expect(b[key]).toBeCloseTo(r[key], 9);
          }
        });
        expect(all.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});

describe("property: the day checkpoint changes nothing", () => {
  it("gives every batch the rows a state without one gives, live-like batches across days with trims", () => {
    const stepArb = fc.record({
      // What the batch does: append new minutes, revise the newest bar, or revise an older one.
      kind: fc.constantFrom("append", "append", "append", "reviseNewest", "reviseOlder"),
      gap: fc.integer({ min: 1, max: 400 }),
      count: fc.integer({ min: 1, max: 4 }),
      back: fc.integer({ min: 0, max: 60 }),
      close: fc.double({ min: 50, max: 150, noNaN: true }),
      volume: fc.integer({ min: 0, max: 10_000 }),
      trim: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 120 }), (steps) => {
        const withCheckpoint = fresh();
        const without = fresh();
        let minute = 0;
        for (const step of steps) {
          const bars = readSeriesBars(withCheckpoint);
          const older = bars[Math.max(0, bars.length - 1 - step.back)];
          const revised =
            step.kind === "reviseNewest"
              ? bars[bars.length - 1]
              : older && canRecomputeFrom(withCheckpoint, older.ts)
                ? older
                : undefined;
          let batch: Bar[];
          if (step.kind === "append" || !revised) {
            batch = Array.from({ length: step.count }, (_, k) => {
              minute += k === 0 ? step.gap : 1;
              return bar(DAY1 + minute * M, step.close + k, step.volume + k);
            });
          } else {
            batch = [{ ...bar(revised.ts, step.close, step.volume), high: step.close + 3 }];
          }
          const now = DAY1 + minute * M + 10_000;
          without.day = null;
          const expected = applyRevisions(without, batch, now);
          expect(applyRevisions(withCheckpoint, batch, now)).toEqual(expected);
          if (step.trim) {
            trimSeries(withCheckpoint, 5);
            trimSeries(without, 5);
          }
        }
        expect(readSeriesBars(withCheckpoint)).toEqual(readSeriesBars(without));
      }),
      { numRuns: 200 },
    );
  });
});
