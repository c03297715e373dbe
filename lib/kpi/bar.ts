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

const barKeys = Object.keys(BAR_KEYS) as (keyof Bar)[];

/** The bar of any wider value (a tick event, a stored fact): exactly the fields of {@link Bar}. */
export function toBar(value: Bar): Bar {
  const bar = {} as Record<keyof Bar, number>;
  for (const key of barKeys) bar[key] = value[key];
  return bar;
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
