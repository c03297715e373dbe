import { describe, expect, it } from "vitest";

import {
  applyCooldown,
  findAlertCandidates,
  findStaleGap,
  hasAlertContext,
  type AlertCondition,
} from "@/lib/kpi/alert-rules";
import type { FactBar } from "@/lib/kpi/types";

const M = 60_000;
/** 2026-03-12 14:30 UTC, a round hour plus 30 minutes: the 60-minute window starts at 14:00. */
const T0 = Date.parse("2026-03-12T14:30:00Z");

type BarInput = Partial<FactBar> & { close: number };

function makeBars(inputs: readonly BarInput[], start = T0): FactBar[] {
  return inputs.map((b, i) => ({
    symbol: "AAPL",
    ts: start + i * M,
    tradeDate: "2026-03-12",
    open: b.close,
    high: b.close,
    low: b.close,
    volume: 100,
    ma5: null,
    ma20: null,
    ema20: null,
    vwap: null,
    isFinal: true,
    ...b,
  }));
}

const closes = (...values: number[]) => makeBars(values.map((close) => ({ close })));
const firedAt = (condition: AlertCondition, bars: FactBar[], from = 0) =>
  findAlertCandidates(condition, bars, from).map((c) => (c.barTs - bars[0]!.ts) / M);

describe("price_cross", () => {
  const up: AlertCondition = { type: "price_cross", direction: "up", level: 100 };
  const down: AlertCondition = { type: "price_cross", direction: "down", level: 100 };

  it("fires on the bar whose close goes strictly above the level, from at or below it", () => {
    expect(firedAt(up, closes(99, 101))).toEqual([1]);
    expect(firedAt(up, closes(100, 100.01))).toEqual([1]);
  });

  it("a close equal to the level is not a cross; leaving the level upwards afterwards is", () => {
    expect(firedAt(up, closes(99, 100))).toEqual([]);
    expect(firedAt(up, closes(99, 100, 101))).toEqual([2]);
    expect(firedAt(down, closes(101, 100))).toEqual([]);
    expect(firedAt(down, closes(101, 100, 99.99))).toEqual([2]);
  });

  it("the first bar of a symbol never crosses (no bar before it)", () => {
    expect(firedAt(up, closes(101))).toEqual([]);
  });

  it("fires again after going back below (flapping is the cooldown's business)", () => {
    expect(firedAt(up, closes(99, 101, 99, 101))).toEqual([1, 3]);
    expect(firedAt(down, closes(101, 99, 101, 99))).toEqual([1, 3]);
  });

  it("ignores bars that are not final", () => {
    const bars = closes(99, 101);
    bars[1]!.isFinal = false;
    expect(firedAt(up, bars)).toEqual([]);
  });

  it("records the level and both closes", () => {
    const [c] = findAlertCandidates(up, closes(99, 101), 0);
    expect(c!.values).toEqual({ level: 100, prevClose: 99, close: 101 });
  });
});

describe("indicator_cross", () => {
  const up: AlertCondition = { type: "indicator_cross", indicator: "ma20", direction: "up" };
  const emaDown: AlertCondition = { type: "indicator_cross", indicator: "ema20", direction: "down" };

  it("compares each bar's close with that bar's own indicator", () => {
    const bars = makeBars([
      { close: 10, ma20: 10 },
      { close: 10.5, ma20: 10.4 },
    ]);
    expect(firedAt(up, bars)).toEqual([1]);
  });

  it("a close equal to its MA is not above it", () => {
    const bars = makeBars([
      { close: 9, ma20: 10 },
      { close: 10.4, ma20: 10.4 },
    ]);
    expect(firedAt(up, bars)).toEqual([]);
  });

  it("needs the indicator on both bars (null until 20 bars exist)", () => {
    const bars = makeBars([
      { close: 9, ma20: null },
      { close: 11, ma20: 10 },
    ]);
    expect(firedAt(up, bars)).toEqual([]);
  });

  it("crosses its EMA 20 downwards", () => {
    const bars = makeBars([
      { close: 10, ema20: 10 },
      { close: 9.9, ema20: 9.95 },
    ]);
    expect(firedAt(emaDown, bars)).toEqual([1]);
  });
});

describe("ma_cross", () => {
  const golden: AlertCondition = { type: "ma_cross", kind: "golden" };
  const death: AlertCondition = { type: "ma_cross", kind: "death" };

  it("golden: MA 5 from at or below MA 20 to strictly above it", () => {
    const bars = makeBars([
      { close: 1, ma5: 10, ma20: 10 },
      { close: 1, ma5: 10.1, ma20: 10 },
    ]);
    expect(firedAt(golden, bars)).toEqual([1]);
    expect(firedAt(death, bars)).toEqual([]);
  });

  it("touching is not crossing", () => {
    const bars = makeBars([
      { close: 1, ma5: 9, ma20: 10 },
      { close: 1, ma5: 10, ma20: 10 },
    ]);
    expect(firedAt(golden, bars)).toEqual([]);
  });

  it("death: MA 5 goes strictly below MA 20", () => {
    const bars = makeBars([
      { close: 1, ma5: 10, ma20: 10 },
      { close: 1, ma5: 9.9, ma20: 10 },
    ]);
    expect(firedAt(death, bars)).toEqual([1]);
  });
});

describe("window_gain", () => {
  const above: AlertCondition = {
    type: "window_gain",
    windowMinutes: 5,
    direction: "above",
    thresholdPct: 1,
  };
  const below: AlertCondition = {
    type: "window_gain",
    windowMinutes: 5,
    direction: "below",
    thresholdPct: -1,
  };

  it("fires on the first bar whose running window gain is strictly beyond the threshold", () => {
    // T0 is a 5-minute boundary: bars 0–4 are one window. First open 100; gains 0, 1 (equal), 1.5, 2.
    const bars = makeBars([{ close: 100 }, { close: 101 }, { close: 101.5 }, { close: 102 }]);
    expect(firedAt(above, bars)).toEqual([2]);
  });

  it("fires again in the next window (the gain restarts from that window's first open)", () => {
    const bars = makeBars([
      { close: 100 },
      { close: 102 },
      { close: 102 },
      { close: 102 },
      { close: 102 },
      { open: 102, close: 102 },
      { close: 104 },
    ]);
    expect(firedAt(above, bars)).toEqual([1, 6]);
  });

  it("below: strictly less than a negative threshold", () => {
    const bars = makeBars([{ close: 100 }, { close: 99 }, { close: 98.9 }]);
    expect(firedAt(below, bars)).toEqual([2]);
  });

  it("uses the window's first open, which is read from bars before the span", () => {
    const bars = makeBars([{ close: 100 }, { close: 100.5 }, { close: 101.5 }]);
    expect(firedAt(above, bars, 2)).toEqual([2]);
    expect(findAlertCandidates(above, bars, 2)[0]!.values.gainPct).toBeCloseTo(1.5, 12);
  });
});

describe("volume_spike", () => {
  const spike: AlertCondition = { type: "volume_spike", factor: 3, lookbackBars: 3 };

  it("fires when volume is strictly above factor × the mean of the previous N bars", () => {
    const bars = makeBars([100, 100, 100, 301].map((volume) => ({ close: 10, volume })));
    expect(firedAt(spike, bars)).toEqual([3]);
  });

  it("exactly factor × the mean is no spike", () => {
    const bars = makeBars([100, 100, 100, 300].map((volume) => ({ close: 10, volume })));
    expect(firedAt(spike, bars)).toEqual([]);
  });

  it("needs N previous bars", () => {
    const bars = makeBars([100, 100, 1000].map((volume) => ({ close: 10, volume })));
    expect(firedAt(spike, bars)).toEqual([]);
  });

  it("a mean of zero volume is no base for a spike", () => {
    const bars = makeBars([0, 0, 0, 50].map((volume) => ({ close: 10, volume })));
    expect(firedAt(spike, bars)).toEqual([]);
  });
});

describe("day_change and opening_gap", () => {
  const dayAbove: AlertCondition = { type: "day_change", direction: "above", thresholdPct: 2 };
  const gapUp: AlertCondition = { type: "opening_gap", direction: "up", minGapPct: 1 };
  const gapDown: AlertCondition = { type: "opening_gap", direction: "down", minGapPct: 1 };

  function twoDays(day2: BarInput[]): FactBar[] {
    const day1 = makeBars([{ close: 100 }], T0 - 24 * 60 * M).map((b) => ({ ...b, tradeDate: "2026-03-11" }));
    return [...day1, ...makeBars(day2)];
  }

  it("fires when the running change against the previous close becomes strictly above the threshold", () => {
    const bars = twoDays([{ close: 101 }, { close: 102 }, { close: 102.5 }, { close: 103 }]);
    expect(firedAt(dayAbove, bars)).toEqual([24 * 60 + 2]);
  });

  it("a day's first bar already beyond fires (a new day starts not beyond)", () => {
    const bars = twoDays([{ close: 103 }, { close: 104 }]);
    expect(firedAt(dayAbove, bars)).toEqual([24 * 60]);
  });

  it("the symbol's first day has no previous close: no day change, no gap", () => {
    const bars = makeBars([{ open: 100, close: 100 }, { close: 110 }]);
    expect(firedAt(dayAbove, bars)).toEqual([]);
    expect(firedAt(gapUp, bars)).toEqual([]);
  });

  it("opening gap: the first bar's open against the previous close, strictly more than the minimum", () => {
    expect(firedAt(gapUp, twoDays([{ open: 101.5, close: 101 }]))).toEqual([24 * 60]);
    expect(firedAt(gapUp, twoDays([{ open: 101, close: 101 }]))).toEqual([]);
    expect(firedAt(gapDown, twoDays([{ open: 98.9, close: 99 }]))).toEqual([24 * 60]);
    expect(firedAt(gapDown, twoDays([{ open: 99, close: 99 }]))).toEqual([]);
  });

  it("only the first bar of a day can gap", () => {
    expect(
      firedAt(
        gapUp,
        twoDays([
          { open: 100, close: 100 },
          { open: 105, close: 105 },
        ]),
      ),
    ).toEqual([]);
  });
});

describe("applyCooldown (bar time)", () => {
  const at = (...minutes: number[]) => minutes.map((m) => ({ barTs: T0 + m * M }));
  const kept = (list: { barTs: number }[]) => list.map((c) => (c.barTs - T0) / M);

  it("suppresses events less than the cooldown after the last kept one; exactly the cooldown later fires", () => {
    expect(kept(applyCooldown(at(0, 4, 5, 9, 10), 5, null))).toEqual([0, 5, 10]);
  });

  it("a cooldown of 0 keeps every event", () => {
    expect(kept(applyCooldown(at(0, 1, 2), 0, null))).toEqual([0, 1, 2]);
  });

  it("is seeded by the newest event before the span", () => {
    expect(kept(applyCooldown(at(2, 5), 5, T0))).toEqual([5]);
  });
});

describe("findStaleGap", () => {
  it("is keyed by the last bar and fires once N minutes passed after its minute ended", () => {
    const last = T0;
    expect(findStaleGap(last, last + M + 5 * M - 1, 5, true)).toBeNull();
    expect(findStaleGap(last, last + M + 5 * M, 5, true)).toBe(last);
    expect(findStaleGap(last, last + M + 50 * M, 5, true)).toBe(last);
  });

  it("a closed market or a symbol without bars is never stale", () => {
    expect(findStaleGap(T0, T0 + 100 * M, 5, false)).toBeNull();
    expect(findStaleGap(null, T0, 5, true)).toBeNull();
  });
});

describe("hasAlertContext", () => {
  it("needs the look-back bars, the previous day and the 60-minute window start unless all history is held", () => {
    const bars = makeBars(Array.from({ length: 5 }, () => ({ close: 1 })));
    expect(hasAlertContext(bars, true, 0, 3)).toBe(true);
    expect(hasAlertContext(bars, false, 4, 3)).toBe(false); // same trading day as bars[0]
    const withYesterday = [{ ...bars[0]!, ts: T0 - 24 * 60 * M, tradeDate: "2026-03-11" }, ...bars];
    expect(hasAlertContext(withYesterday, false, 5, 3)).toBe(true);
    expect(hasAlertContext(withYesterday, false, 2, 3)).toBe(false);
  });
});
