import { z } from "zod";

import { tieSchema } from "@/lib/events/same-shape";
import { SYMBOL_PATTERN, symbolSchema } from "@/lib/events/symbol";
import type { DailyStat, FactBar, Mover, WindowKpi } from "@/lib/kpi/types";

// Every object of this contract is strict (unknown keys are an error, not stripped). The producer
// parses updates before sending (toSymbolsMessages: the first symbol update of each pass, which
// goes out inside a v3 symbols message, lib/events/kpi-update-v3.ts; toKpiMessages: every movers
// update), so a field the stream worker computes but this contract lacks fails there and in the
// tests instead of vanishing from every live update; tieSchema makes the same mismatch fail
// typecheck first. The price for consumers of market.kpis: an update that carries a field their
// schema does not know is rejected (the web instance counts it as invalid and browsers keep their
// REST data), so a new field is a breaking change and gets a new version of the event (STYLE.md,
// "treat events as versioned data"), never an edit of v1 in place.

const num = z.number().finite();
const nullableNum = num.nullable();
/** The price and volume fields that a bar and a trading day share. */
const ohlcvShape = { open: num, high: num, low: num, close: num, volume: z.number().nonnegative() };

export const factBarSchema = tieSchema<FactBar>()(
  z.strictObject({
    symbol: symbolSchema,
    ts: z.number().int(),
    tradeDate: z.string(),
    ...ohlcvShape,
    ma5: nullableNum,
    ma20: nullableNum,
    ema20: nullableNum,
    vwap: nullableNum,
    isFinal: z.boolean(),
  }),
);

export const dailyStatSchema = tieSchema<DailyStat>()(
  z.strictObject({
    symbol: symbolSchema,
    tradeDate: z.string(),
    ...ohlcvShape,
    prevClose: nullableNum,
    changePct: nullableNum,
    range: num,
    rangePct: num,
    vwap: nullableNum,
    barCount: z.number().int(),
    firstTs: z.number().int(),
    lastTs: z.number().int(),
  }),
);

export const windowKpiSchema = tieSchema<WindowKpi>()(
  z.strictObject({
    symbol: symbolSchema,
    windowMinutes: z.number().int().positive(),
    windowStart: z.number().int(),
    windowEnd: z.number().int(),
    avgPrice: num,
    vwap: nullableNum,
    totalVolume: z.number().nonnegative(),
    gainPct: num,
    firstOpen: num,
    lastClose: num,
    high: num,
    low: num,
    barCount: z.number().int(),
  }),
);

export const moverSchema = tieSchema<Mover>()(
  z.strictObject({
    symbol: symbolSchema,
    gainPct: num,
    lastClose: num,
    totalVolume: z.number().nonnegative(),
    rank: z.number().int().positive(),
  }),
);

/** Per symbol, after each commit of the stream worker: the changed bars (newest last), day and windows. */
export const symbolKpiUpdateV1Schema = z.strictObject({
  v: z.literal(1),
  type: z.literal("symbol"),
  symbol: symbolSchema,
  bars: z.array(factBarSchema),
  day: dailyStatSchema.nullable(),
  windows: z.array(windowKpiSchema),
  publishedAt: z.number().int(),
});

/**
 * Per window after each commit: the ranking of that window. `windowMinutes` 0 is the trading day
 * (TRADING_DAY_WINDOW in lib/kpi/movers-window.ts, ranked by change % against the previous close);
 * `windowStart` and `windowEnd` are then the local midnights that bound the trading day in the
 * exchange's time zone (computeTradingDayWindow).
 */
export const moversKpiUpdateV1Schema = z.strictObject({
  v: z.literal(1),
  type: z.literal("movers"),
  windowMinutes: z.number().int().nonnegative(),
  windowStart: z.number().int(),
  windowEnd: z.number().int(),
  gainers: z.array(moverSchema),
  losers: z.array(moverSchema),
  publishedAt: z.number().int(),
});

/** Version 1 of the `market.kpis` event. */
export const kpiUpdateV1Schema = z.discriminatedUnion("type", [
  symbolKpiUpdateV1Schema,
  moversKpiUpdateV1Schema,
]);

export type KpiUpdateV1 = z.infer<typeof kpiUpdateV1Schema>;
export type SymbolKpiUpdateV1 = z.infer<typeof symbolKpiUpdateV1Schema>;
export type MoversKpiUpdateV1 = z.infer<typeof moversKpiUpdateV1Schema>;

const MOVERS_KEY_PREFIX = "movers:";

/**
 * Key of every symbols message (v3, lib/events/kpi-update-v3.ts, and v2 before it: the symbol updates
 * of a pass, many to a message). One key keeps them in one partition, so that a consumer reads them in
 * the order they were sent, as one key per symbol did for v1. No symbol can take it (SYMBOL_PATTERN has no lower case).
 */
export const SYMBOLS_UPDATE_KEY = "symbols";

/** Key of a KPI update on the topic: the symbol, or `movers:<minutes>`. */
export function getKpiUpdateKey(update: KpiUpdateV1): string {
  return update.type === "symbol" ? update.symbol : `${MOVERS_KEY_PREFIX}${update.windowMinutes}`;
}

/** What a key says about its update before the value is decoded. */
export type KpiUpdateRoute =
  | Pick<SymbolKpiUpdateV1, "type" | "symbol">
  | Pick<MoversKpiUpdateV1, "type" | "windowMinutes">
  | { type: "symbols" };

/**
 * The inverse of {@link getKpiUpdateKey} (and {@link SYMBOLS_UPDATE_KEY} for a symbols message): the update type
 * and symbol or window a key names, or null for a key no producer writes. A consumer routes by it
 * before decoding, so a value whose key is not {@link getKpiUpdateKey} of it breaks the contract
 * and is refused when decoded (lib/realtime/server.ts).
 */
export function parseKpiUpdateKey(key: string): KpiUpdateRoute | null {
  if (key === SYMBOLS_UPDATE_KEY) return { type: "symbols" };
  if (key.startsWith(MOVERS_KEY_PREFIX)) {
    const digits = key.slice(MOVERS_KEY_PREFIX.length);
    return /^\d{1,6}$/.test(digits) ? { type: "movers", windowMinutes: Number(digits) } : null;
  }
  return SYMBOL_PATTERN.test(key) ? { type: "symbol", symbol: key } : null;
}
