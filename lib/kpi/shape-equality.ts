import { BAR_KEYS } from "@/lib/kpi/bar";
import type { Bar, FactBar } from "@/lib/kpi/types";

// One equality per shape, driven by an exhaustive key map: a field added to the shape and not to its
// map fails typecheck, so no comparison can silently ignore it (an unnoticed change would never be
// stored or sent).

const FACT_BAR_KEYS = {
  ...BAR_KEYS,
  symbol: true,
  tradeDate: true,
  ma5: true,
  ma20: true,
  ema20: true,
  vwap: true,
  isFinal: true,
} as const satisfies Record<keyof FactBar, true>;

function createEquality<T>(keyMap: Record<keyof T, true>): (a: T, b: T) => boolean {
  const keys = Object.keys(keyMap) as (keyof T)[];
  return (a, b) => keys.every((key) => a[key] === b[key]);
}

/** Same bar start and OHLCV (only the {@link Bar} fields of wider values are compared). */
export const isSameBar: (a: Bar, b: Bar) => boolean = createEquality<Bar>(BAR_KEYS);

/** Same bar, same indicators, same finality. */
export const isSameFactBar: (a: FactBar, b: FactBar) => boolean = createEquality<FactBar>(FACT_BAR_KEYS);
