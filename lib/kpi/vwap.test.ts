import { describe, expect, it } from "vitest";

import {
  accumulateVwap,
  computeTypicalPrice,
  computeVwap,
  EMPTY_VWAP_ACCUMULATOR,
  type VwapAccumulator,
} from "@/lib/kpi/vwap";

const bar = (high: number, low: number, close: number, volume: number) => ({
  ts: 0,
  open: close,
  high,
  low,
  close,
  volume,
});

/** Fresh running totals with `bars` added in order (the shared empty accumulator is never touched). */
function accumulate(...bars: ReturnType<typeof bar>[]): VwapAccumulator {
  const acc = { ...EMPTY_VWAP_ACCUMULATOR };
  for (const b of bars) accumulateVwap(acc, b);
  return acc;
}

describe("VWAP", () => {
  it("weights the typical price (h+l+c)/3 by volume", () => {
    expect(computeTypicalPrice({ high: 12, low: 9, close: 9 })).toBe(10);
    const acc = accumulate(bar(12, 9, 9, 100), bar(21, 19, 20, 300));
    // (10×100 + 20×300) / 400 = 17.5
    expect(computeVwap(acc)).toBe(17.5);
  });

  it("ignores zero-volume bars instead of breaking", () => {
    const acc = accumulate(bar(12, 9, 9, 100), bar(50, 40, 45, 0));
    expect(computeVwap(acc)).toBe(10);
  });

  it("is null, not NaN, when nothing traded", () => {
    expect(computeVwap(EMPTY_VWAP_ACCUMULATOR)).toBeNull();
    expect(computeVwap(accumulate(bar(12, 9, 9, 0)))).toBeNull();
    expect(EMPTY_VWAP_ACCUMULATOR).toEqual({ priceVolume: 0, volume: 0 });
  });
});
