import { z } from "zod";

import { workerMetricsSchema } from "@/lib/events/worker-metrics";

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
  /** By worker kind (ingest, stream). */
  workers: z.record(z.string(), workerHealthSchema),
  /** The web process's Socket.IO relay figures; null where no relay runs. */
  realtime: z.record(z.string(), z.unknown()).nullable(),
  /** One plain sentence per part. */
  summary: z.array(z.string()),
});

export type ComponentStatus = z.infer<typeof componentStatusSchema>;
export type WorkerHealth = z.infer<typeof workerHealthSchema>;
export type HealthReport = z.infer<typeof healthReportSchema>;
