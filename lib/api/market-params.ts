import { z } from "zod";

import { normalizeSymbolInput, symbolSchema } from "@/lib/events/symbol";
import { MOVERS_LIMIT } from "@/lib/kpi/movers";
import { MAX_WINDOW_MINUTES, parseMoversWindowParam, TRADING_DAY_PARAM } from "@/lib/kpi/movers-window";
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

/**
 * `window`: minutes of a configured tumbling window, or the trading day, spelt `day` (or `0`, its
 * `windowMinutes` in responses and live updates); parsed to one `MoversWindow` number.
 */
export const moversQuerySchema = z.object({
  window: z
    .string()
    .default("5")
    .transform((text, ctx) => {
      const window = parseMoversWindowParam(text);
      if (window !== null) return window;
      ctx.addIssue({
        code: "custom",
        message: `window must be ${TRADING_DAY_PARAM} or whole minutes from 1 to ${MAX_WINDOW_MINUTES}`,
      });
      return z.NEVER;
    }),
  limit: z.coerce.number().int().min(1).max(50).default(MOVERS_LIMIT),
});

/** Most sparkline points a watchlist row carries (the column is about 120 px wide). */
export const MAX_WATCHLIST_POINTS = 120;
export const DEFAULT_WATCHLIST_POINTS = 32;

export const watchlistQuerySchema = z.object({
  points: z.coerce.number().int().min(2).max(MAX_WATCHLIST_POINTS).default(DEFAULT_WATCHLIST_POINTS),
});
