import { z } from "zod";

import { symbolSchema } from "@/lib/events/symbol";

const num = z.number().finite();
const nullableNum = num.nullable();

export const factBarSchema = z.object({
  symbol: symbolSchema,
  ts: z.number().int(),
  tradeDate: z.string(),
  open: num,
  high: num,
  low: num,
  close: num,
  volume: z.number().nonnegative(),
  ma5: nullableNum,
  ma20: nullableNum,
  ema20: nullableNum,
  vwap: nullableNum,
  isFinal: z.boolean(),
});

export const dailyStatSchema = z.object({
  symbol: symbolSchema,
  tradeDate: z.string(),
  open: num,
  high: num,
  low: num,
  close: num,
  volume: z.number().nonnegative(),
  prevClose: nullableNum,
  changePct: nullableNum,
  range: num,
  rangePct: num,
  vwap: nullableNum,
  barCount: z.number().int(),
  firstTs: z.number().int(),
  lastTs: z.number().int(),
});

export const windowKpiSchema = z.object({
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
});

export const moverSchema = z.object({
  symbol: symbolSchema,
  gainPct: num,
  lastClose: num,
  totalVolume: z.number().nonnegative(),
  rank: z.number().int().positive(),
});

/** Per symbol, after each commit of the stream worker: the changed bars (newest last), day and windows. */
export const symbolKpiUpdateV1Schema = z.object({
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
 * (ranked by change % against the previous close); `windowStart` is then the day's midnight UTC.
 */
export const moversKpiUpdateV1Schema = z.object({
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

/** Key of a KPI update on the topic: the symbol, or `movers:<minutes>`. */
export function getKpiUpdateKey(update: KpiUpdateV1): string {
  return update.type === "symbol" ? update.symbol : `movers:${update.windowMinutes}`;
}
