import type { Bar } from "@/lib/kpi/types";

/** Typical price of a bar, (high + low + close) / 3: the price VWAP weights by volume. */
export function computeTypicalPrice(bar: Pick<Bar, "high" | "low" | "close">): number {
  return (bar.high + bar.low + bar.close) / 3;
}

/** Running totals of a VWAP; start from a copy of {@link EMPTY_VWAP_ACCUMULATOR}. */
export type VwapAccumulator = { priceVolume: number; volume: number };

export const EMPTY_VWAP_ACCUMULATOR: Readonly<VwapAccumulator> = Object.freeze({ priceVolume: 0, volume: 0 });

/**
 * Adds a bar to running totals, in place (no object per bar: the stream worker runs a day's bars
 * through them for each batch). Start from a copy of {@link EMPTY_VWAP_ACCUMULATOR}.
 */
export function accumulateVwap(acc: VwapAccumulator, bar: Bar): void {
  acc.priceVolume = acc.priceVolume + computeTypicalPrice(bar) * bar.volume;
  acc.volume = acc.volume + bar.volume;
}

/**
 * Volume-weighted average price of the accumulated bars. Zero-volume bars add nothing; when the total
 * volume is zero there is nothing to weight and the VWAP is null (not 0, not NaN).
 */
export function computeVwap(acc: VwapAccumulator): number | null {
  return acc.volume > 0 ? acc.priceVolume / acc.volume : null;
}
