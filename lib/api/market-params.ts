import { z } from "zod";

import { normalizeSymbolInput, symbolSchema } from "@/lib/events/symbol";
import { TIME_RANGES } from "@/lib/kpi/time-range";

const symbolParam = z
  .string({ error: "symbol is required, e.g. ?symbol=AAPL" })
  .transform(normalizeSymbolInput)
  .pipe(symbolSchema);

export const pricesQuerySchema = z.object({
  symbol: symbolParam,
  range: z.enum(TIME_RANGES).default("session"),
});

export const snapshotQuerySchema = z.object({ symbol: symbolParam });

export const dailyQuerySchema = z.object({
  symbol: symbolParam,
  days: z.coerce.number().int().min(1).max(120).default(10),
});

export const windowsQuerySchema = z.object({
  symbol: symbolParam,
  window: z.coerce.number().int().min(1).max(1440).default(5),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `window`: minutes of a configured tumbling window, or `day` for the trading day's change %. */
export const moversQuerySchema = z.object({
  window: z.union([z.literal("day"), z.coerce.number().int().min(1).max(1440)]).default(5),
  limit: z.coerce.number().int().min(1).max(50).default(5),
});
