import { describe, expect, it } from "vitest";

import { addToVwap, computeTypicalPrice, computeVwap, EMPTY_VWAP_ACCUMULATOR } from "@/lib/kpi/vwap";

const bar = (high: number, low: number, close: number, volume: number) => ({
  ts: 0,
  open: close,
  high,
  low,
  close,
  volume,
});

describe("VWAP", () => {
  it("weights the typical price (h+l+c)/3 by volume", () => {
    expect(computeTypicalPrice({ high: 12, low: 9, close: 9 })).toBe(10);
    const acc = addToVwap(addToVwap(EMPTY_VWAP_ACCUMULATOR, bar(12, 9, 9, 100)), bar(21, 19, 20, 300));
    // (10×100 + 20×300) / 400 = 17.5
    expect(computeVwap(acc)).toBe(17.5);
  });

  it("ignores zero-volume bars instead of breaking", () => {
    const acc = addToVwap(addToVwap(EMPTY_VWAP_ACCUMULATOR, bar(12, 9, 9, 100)), bar(50, 40, 45, 0));
    expect(computeVwap(acc)).toBe(10);
  });

  it("is null, not NaN, when nothing traded", () => {
    expect(computeVwap(EMPTY_VWAP_ACCUMULATOR)).toBeNull();
    expect(computeVwap(addToVwap(EMPTY_VWAP_ACCUMULATOR, bar(12, 9, 9, 0)))).toBeNull();
  });
});
