import type { Bar, FactBar } from "@/lib/kpi/types";

/**
 * The fields of {@link Bar}, exhaustively: `satisfies` fails typecheck when a field is added to `Bar`
 * and not here (or the reverse), so every copy and comparison built from it carries the new field.
 */
export const BAR_KEYS = {
  ts: true,
  open: true,
  high: true,
  low: true,
  close: true,
  volume: true,
} as const satisfies Record<keyof Bar, true>;

/**
 * The bar of any wider value (a tick event, a stored fact): exactly the fields of {@link Bar} (a field
 * added to `Bar` and not here fails typecheck).
 */
export function toBar(value: Bar): Bar {
  return {
    ts: value.ts,
    open: value.open,
    high: value.high,
    low: value.low,
    close: value.close,
    volume: value.volume,
  };
}

/**
 * Copies `source`'s {@link Bar} fields into `target`. Written out field by field (the running sums call
 * it for every bar they add); bar-columns.test.ts checks it against {@link BAR_KEYS}.
 */
export function copyBarInto(target: Bar, source: Bar): void {
  target.ts = source.ts;
  target.open = source.open;
  target.high = source.high;
  target.low = source.low;
  target.close = source.close;
  target.volume = source.volume;
}

/** A bar seen for the first time: no indicators yet (they are computed over the series), not final. */
export function createFactBar(symbol: string, bar: Bar, tradeDate: string): FactBar {
  return {
    ...toBar(bar),
    symbol,
    tradeDate,
    ma5: null,
    ma20: null,
    ema20: null,
    vwap: null,
    isFinal: false,
  };
}
