import { z } from "zod";

import { dailyStatSchema, factBarSchema, moverSchema, windowKpiSchema } from "@/lib/events/kpi-update-v1";
import { tieSchema } from "@/lib/events/same-shape";
import { symbolSchema, symbolSourceSchema, symbolStatusSchema } from "@/lib/events/symbol";
import { symbolPageFieldsSchema } from "@/lib/events/symbol-page";
import type { TimeRange } from "@/lib/kpi/time-range";
import type { SparkPoint, WatchlistRow, WatchlistTick } from "@/lib/kpi/watchlist-row";

/** The bodies of the market REST API (app/api/*): route handlers answer them, the browser parses them. */

/** A symbol as the dashboard and the REST API describe it. */
export const symbolSummarySchema = z.object({
  symbol: symbolSchema,
  displayName: z.string().nullable(),
  status: symbolStatusSchema,
  statusReason: z.string().nullable(),
  source: symbolSourceSchema,
  marketState: z.string().nullable(),
  exchangeTimezone: z.string(),
  lastTickAt: z.number().int().nullable(),
});

/** GET /api/symbols?q=&limit=&cursor=: one page of the followed symbols (lib/events/symbol-page.ts). */
export const symbolsResponseSchema = symbolPageFieldsSchema.extend({ symbols: z.array(symbolSummarySchema) });

/** GET /api/snapshot: what the KPI cards show. */
export const snapshotSchema = z.object({
  symbol: symbolSummarySchema,
  latestBar: factBarSchema.nullable(),
  day: dailyStatSchema.nullable(),
  windows: z.array(windowKpiSchema),
});

/** GET /api/prices */
export const pricesResponseSchema = z.object({
  symbol: symbolSchema,
  // lib/kpi/time-range.ts owns the list (lib/events imports its types only); tied, so they cannot drift.
  range: tieSchema<TimeRange>()(z.enum(["1h", "session", "5d"])),
  /** The custom range's trading dates (both included) when one replaced the preset `range`. */
  from: z.string().nullable().default(null),
  to: z.string().nullable().default(null),
  timeZone: z.string(),
  bars: z.array(factBarSchema),
});

/** GET /api/daily */
export const dailyResponseSchema = z.object({ symbol: symbolSchema, days: z.array(dailyStatSchema) });

/** GET /api/windows */
export const windowsResponseSchema = z.object({
  symbol: symbolSchema,
  windowMinutes: z.number().int().positive(),
  windows: z.array(windowKpiSchema),
});

/**
 * GET /api/movers: the newest window's ranking. `windowMinutes` 0 is the trading day; the window
 * bounds are null while no window has data.
 */
export const moversViewSchema = z.object({
  windowMinutes: z.number().int().nonnegative(),
  windowStart: z.number().int().nullable(),
  windowEnd: z.number().int().nullable(),
  gainers: z.array(moverSchema),
  losers: z.array(moverSchema),
});

const finite = z.number().finite();
const sparkPointSchema = tieSchema<SparkPoint>()(z.tuple([z.number().int(), finite]));

/** A row of GET /api/watchlist: a followed symbol's newest trading day (lib/kpi/watchlist-row.ts). */
export const watchlistRowSchema = tieSchema<WatchlistRow>()(
  z.strictObject({
    symbol: symbolSchema,
    displayName: z.string().nullable(),
    status: z.enum(["active", "paused"]),
    tradeDate: z.string().nullable(),
    lastTs: z.number().int().nullable(),
    last: finite.nullable(),
    changePct: finite.nullable(),
    volume: z.number().nonnegative().nullable(),
    dayHigh: finite.nullable(),
    dayLow: finite.nullable(),
    spark: z.array(sparkPointSchema),
  }),
);

/** GET /api/watchlist?points=: every followed symbol, by symbol. */
export const watchlistResponseSchema = z.object({ rows: z.array(watchlistRowSchema) });

/** One symbol's change in a `watchlist:updated` live event (lib/realtime/watchlist-relay.ts). */
export const watchlistTickSchema = tieSchema<WatchlistTick>()(
  z.strictObject({
    symbol: symbolSchema,
    tradeDate: z.string(),
    lastTs: z.number().int(),
    last: finite,
    changePct: finite.nullable(),
    volume: z.number().nonnegative(),
    dayHigh: finite,
    dayLow: finite,
    bars: z.array(sparkPointSchema),
    omittedFrom: z.number().int().optional(),
  }),
);

/** Socket.IO `watchlist:updated`: the symbols that changed since the previous one (at most one a second). */
export const watchlistUpdateSchema = z.strictObject({
  ticks: z.array(watchlistTickSchema),
  /** When the web process sent it (epoch ms). */
  sentAt: z.number().int(),
});

export type SymbolSummary = z.infer<typeof symbolSummarySchema>;
export type SymbolsResponse = z.infer<typeof symbolsResponseSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;
export type PricesResponse = z.infer<typeof pricesResponseSchema>;
export type DailyResponse = z.infer<typeof dailyResponseSchema>;
export type WindowsResponse = z.infer<typeof windowsResponseSchema>;
export type MoversView = z.infer<typeof moversViewSchema>;
export type WatchlistResponse = z.infer<typeof watchlistResponseSchema>;
export type WatchlistUpdate = z.infer<typeof watchlistUpdateSchema>;
