import { z } from "zod";

// Zod schemas of the parts of Yahoo's quote and chart answers that the ingest worker reads. They parse
// both yahoo-finance2's validated results (dates as `Date`) and raw answers fetched without its
// validation (epoch seconds), and they are as lenient as Yahoo is: a field that is missing, null or of
// an unexpected type reads as null instead of failing the whole answer.

/** An instant as yahoo-finance2 gives it (`Date`) or as Yahoo sends it (epoch seconds), in epoch ms. */
export const yahooEpochMsSchema = z
  .union([z.date().transform((d) => d.getTime()), z.number().transform((s) => s * 1_000)])
  .pipe(z.number().finite())
  .nullable()
  .catch(null);

/** Trimmed text; empty or not text reads as null. */
const textSchema = z.string().trim().min(1).nullable().catch(null);

/** One item of `quote()`: it needs a symbol; everything else may be missing. */
export const yahooQuoteSchema = z.object({
  symbol: z.string().min(1),
  longName: textSchema,
  shortName: textSchema,
  displayName: textSchema,
  quoteType: textSchema,
  exchangeTimezoneName: textSchema,
  marketState: textSchema,
  regularMarketTime: yahooEpochMsSchema,
});

/** A price of a chart point; Yahoo sends null for a minute without trades. */
const priceSchema = z.number().finite().positive().nullable().catch(null);

/** One point of `chart().quotes`. */
export const yahooChartPointSchema = z.object({
  date: yahooEpochMsSchema,
  open: priceSchema,
  high: priceSchema,
  low: priceSchema,
  close: priceSchema,
  volume: z.number().finite().nullable().catch(null),
});

const tradingPeriodSchema = z
  .object({ start: yahooEpochMsSchema, end: yahooEpochMsSchema })
  .nullable()
  .catch(null);
/** A day of trading periods: a list of them, or one. */
const tradingDaySchema = z.union([z.array(tradingPeriodSchema), tradingPeriodSchema.transform((p) => [p])]);

/** `chart().meta`: `tradingPeriods` is a list of days, or `{ regular: days }` with pre/post sessions. */
const chartMetaSchema = z
  .object({
    exchangeTimezoneName: z.string().nullable().catch(null),
    currentTradingPeriod: z.object({ regular: tradingPeriodSchema }).nullable().catch(null),
    tradingPeriods: z
      .union([
        z.array(tradingDaySchema),
        z.object({ regular: z.array(tradingDaySchema) }).transform((p) => p.regular),
      ])
      .catch([]),
  })
  .catch({ exchangeTimezoneName: null, currentTradingPeriod: null, tradingPeriods: [] });

/** A `chart()` result: its points are parsed one by one (a point that is not an object is skipped). */
export const yahooChartSchema = z.object({
  quotes: z.array(z.unknown()),
  meta: chartMetaSchema,
});

export type YahooChartPoint = z.infer<typeof yahooChartPointSchema>;
export type YahooChartMeta = z.infer<typeof chartMetaSchema>;
