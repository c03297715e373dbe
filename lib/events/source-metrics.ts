import { z } from "zod";

// The figures each source driver of the ingest worker reports (SourceDriver.metrics), carried in the
// ingest heartbeat under `sources.<source>`. Drivers are typed with these schemas.

const count = z.number().int().nonnegative();
/** Per symbol. */
const countsSchema = z.record(z.string(), count);

/** The replay driver (recorded real bars on the wall clock). */
export const replaySourceMetricsSchema = z.object({
  symbols: count,
  /** Symbols whose catch-up the full publisher buffer holds back. */
  behind: count,
  held: z.boolean(),
  produced: countsSchema,
});

/** The synthetic driver (a durable position clock). */
export const syntheticSourceMetricsSchema = z.object({
  /** Position of the clock; null before the first start. */
  position: z.number().int().nullable(),
  held: z.boolean(),
  symbols: count,
  produced: countsSchema,
});

/** The Yahoo driver: polling, its circuit breaker and what each symbol last answered. */
export const yahooSourceMetricsSchema = z.object({
  held: z.boolean(),
  circuit: z.object({
    state: z.enum(["closed", "open", "half-open"]),
    consecutiveFailures: count,
    openedAt: z.number().nullable(),
    retryAt: z.number().nullable(),
    lastFailure: z.string().nullable(),
  }),
  /** Fetch errors by kind. */
  errors: countsSchema,
  symbols: count,
  produced: countsSchema,
  /** Epoch ms of the last successful fetch, by symbol. */
  lastSuccess: z.record(z.string(), z.number().nonnegative()),
  marketState: z.record(z.string(), z.string().nullable()),
  /** Symbols Yahoo does not know. */
  invalid: z.array(z.string()),
});

/** Each source's figures, by source: every ingest worker runs one driver of each. */
export const sourceMetricsSchema = z.object({
  replay: replaySourceMetricsSchema,
  synthetic: syntheticSourceMetricsSchema,
  yahoo: yahooSourceMetricsSchema,
});

export type ReplaySourceMetrics = z.infer<typeof replaySourceMetricsSchema>;
export type SyntheticSourceMetrics = z.infer<typeof syntheticSourceMetricsSchema>;
export type YahooSourceMetrics = z.infer<typeof yahooSourceMetricsSchema>;
export type SourceMetrics = z.infer<typeof sourceMetricsSchema>;
