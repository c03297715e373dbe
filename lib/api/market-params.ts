import { z } from "zod";

import { normalizeSymbolInput, symbolSchema } from "@/lib/events/symbol";
import { wholeNumberParam } from "@/lib/events/whole-number-param";
import { MOVERS_LIMIT } from "@/lib/kpi/movers";
import { MAX_WINDOW_MINUTES, parseMoversWindowParam, TRADING_DAY_PARAM } from "@/lib/kpi/movers-window";
import { TIME_RANGES } from "@/lib/kpi/time-range";

const symbolParam = z
  .string({ error: "symbol is required, e.g. ?symbol=AAPL" })
  .transform(normalizeSymbolInput)
  .pipe(symbolSchema);

/** Longest custom range, in calendar days (about 23 sessions: under the 10,000 bars one answer holds). */
export const MAX_CUSTOM_RANGE_DAYS = 31;

const DAY_MS = 86_400_000;

function isCalendarDate(text: string): boolean {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  // 2026-02-30 either fails to parse or rolls over to March: both are refused.
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text);
}

/** A trading date, `YYYY-MM-DD`, that exists in the calendar. */
const tradeDateParam = (name: string) =>
  z.string().refine(isCalendarDate, `${name} must be a calendar date, YYYY-MM-DD`);

/**
 * `range` (a preset, ending at the symbol's newest bar) or `from` and `to` (trading dates in the
 * exchange's time zone, both included): a custom range replaces the preset.
 */
export const pricesQuerySchema = z
  .object({
    symbol: symbolParam,
    range: z.enum(TIME_RANGES, { error: `must be one of ${TIME_RANGES.join(", ")}` }).default("session"),
    from: tradeDateParam("from").optional(),
    to: tradeDateParam("to").optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) {
      const missing = q.from === undefined ? "from" : "to";
      ctx.addIssue({ code: "custom", path: [missing], message: "from and to go together" });
      return;
    }
    // A bound that is no date has its own issue already.
    if (q.from === undefined || q.to === undefined || !isCalendarDate(q.from) || !isCalendarDate(q.to))
      return;
    const span = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS;
    if (span < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    else if (span >= MAX_CUSTOM_RANGE_DAYS)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `at most ${MAX_CUSTOM_RANGE_DAYS} days after from`,
      });
  });

export type PricesQuery = z.infer<typeof pricesQuerySchema>;

export const snapshotQuerySchema = z.object({ symbol: symbolParam });

export const dailyQuerySchema = z.object({
  symbol: symbolParam,
  days: wholeNumberParam(1, 120).default(10),
});

export const windowsQuerySchema = z.object({
  symbol: symbolParam,
  // Checked against the deployment's window lengths by the route (getWindowKpis).
  window: wholeNumberParam(1, MAX_WINDOW_MINUTES).default(5),
  limit: wholeNumberParam(1, 500).default(100),
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
        message: `must be ${TRADING_DAY_PARAM} or a window length in whole minutes, e.g. 5`,
      });
      return z.NEVER;
    }),
  limit: wholeNumberParam(1, 50).default(MOVERS_LIMIT),
});

/** Most sparkline points a watchlist row carries (the column is about 120 px wide). */
export const MAX_WATCHLIST_POINTS = 120;
export const DEFAULT_WATCHLIST_POINTS = 32;

export const watchlistQuerySchema = z.object({
  points: wholeNumberParam(2, MAX_WATCHLIST_POINTS).default(DEFAULT_WATCHLIST_POINTS),
});
