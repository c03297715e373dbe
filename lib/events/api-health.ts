import { z } from "zod";

import { realtimeStatsSchema } from "@/lib/events/realtime-stats";
import { workerKindSchema, workerMetricsSchema } from "@/lib/events/worker-metrics";

/** GET /api/health (200 when everything is up, 503 otherwise, same body): lib/health builds it. */

export const componentStatusSchema = z.enum(["ok", "degraded", "down", "unknown"]);

export const workerHealthSchema = z.object({
  status: componentStatusSchema,
  instances: z.number().int().nonnegative(),
  lastBeatSecondsAgo: z.number().nullable(),
  /** The figures of a live instance; absent when none runs or its figures do not match their schema. */
  info: workerMetricsSchema.optional(),
  error: z.string().optional(),
});

/** Which rule found a problem; the health page and /ops group problems by it. */
export const healthCheckSchema = z.enum(["postgres", "kafka", "worker", "partition", "freshness", "monitor"]);

/** One reason the pipeline is not fully healthy, in plain words, with what it is about. */
export const healthProblemSchema = z.object({
  check: healthCheckSchema,
  /** The part concerned: a worker kind, `<topic>/<partition>`, a symbol. */
  subject: z.string(),
  message: z.string(),
});

export const healthReportSchema = z.object({
  status: componentStatusSchema,
  checkedAt: z.string(),
  postgres: z.object({
    status: componentStatusSchema,
    latencyMs: z.number().optional(),
    error: z.string().optional(),
  }),
  kafka: z.object({
    status: componentStatusSchema,
    latencyMs: z.number().optional(),
    error: z.string().optional(),
    topics: z.array(z.object({ topic: z.string(), partitions: z.number().int(), present: z.boolean() })),
  }),
  /** By worker kind: the kinds the deployment expects. */
  workers: z.partialRecord(workerKindSchema, workerHealthSchema),
  /** The web process's Socket.IO relay figures; null where no relay runs. */
  realtime: realtimeStatsSchema.nullable(),
  /** One plain sentence per part. */
  summary: z.array(z.string()),
  /** What the pipeline monitor saw in its newest sample; null where no monitor runs. */
  pipeline: z
    .object({
      sampledAt: z.number(),
      partitions: z.number().int().nonnegative(),
      stalledPartitions: z.number().int().nonnegative(),
      totalLag: z.number().int().nonnegative(),
      /** Events the stream worker applied per second over the last few samples. */
      appliedPerSecond: z.number().nonnegative().nullable(),
      activeSymbols: z.number().int().nonnegative(),
      staleSymbols: z.number().int().nonnegative(),
    })
    .nullable(),
  /** Why the status is not "ok"; empty when it is. */
  problems: z.array(healthProblemSchema),
});

export type ComponentStatus = z.infer<typeof componentStatusSchema>;
export type HealthCheck = z.infer<typeof healthCheckSchema>;
export type HealthProblem = z.infer<typeof healthProblemSchema>;
export type HealthReport = z.infer<typeof healthReportSchema>;
