import { z } from "zod";

import { sourceMetricsSchema } from "@/lib/events/source-metrics";

// The figures each worker writes into its heartbeat (worker_heartbeats.info): the compact status the
// health page reads back (Prometheus scrapes each process's own /metrics instead). Writers are typed with these schemas; readers safeParse and treat figures that
// do not match as unknown, never as zeros. Unknown keys are stripped on read rather than rejected, so a
// worker newer than the web process (rolling deploy) still shows the figures both know.

const count = z.number().int().nonnegative();
/** Epoch ms, 0 until the first occurrence. */
const instant = z.number().nonnegative();
const countsSchema = z.record(z.string(), count);

export const tickPublisherMetricsSchema = z.object({
  /** Events Kafka acknowledged, by source, then symbol. */
  published: z.record(z.string(), countsSchema),
  rejected: count,
  sendFailures: count,
  lastSendAt: instant,
  kafkaAvailable: z.boolean(),
  lastError: z.string().nullable(),
  /** Events held while Kafka is unavailable. */
  buffered: count,
  pendingCursors: count,
});

export const ingestWorkerMetricsSchema = z.object({
  kind: z.literal("ingest"),
  publisher: tickPublisherMetricsSchema,
  /** Each source driver's own figures, by source (lib/events/source-metrics.ts). */
  sources: sourceMetricsSchema,
});

export const streamWorkerMetricsSchema = z.object({
  kind: z.literal("stream"),
  batches: count,
  applied: count,
  deadLettered: count,
  skipped: count,
  failedBatches: count,
  lastBatchAt: instant,
  lastError: z.string().nullable(),
  partitions: z.array(z.number().int().nonnegative()),
  cachedSymbols: count,
});

/** The kinds of worker process; each writes a heartbeat with its own figures. */
export const workerKindSchema = z.enum(["ingest", "stream"]);

export const workerMetricsSchema = z.discriminatedUnion("kind", [
  ingestWorkerMetricsSchema,
  streamWorkerMetricsSchema,
]);

export type TickPublisherMetrics = z.infer<typeof tickPublisherMetricsSchema>;
export type IngestWorkerMetrics = z.infer<typeof ingestWorkerMetricsSchema>;
export type StreamWorkerMetrics = z.infer<typeof streamWorkerMetricsSchema>;
export type WorkerMetrics = z.infer<typeof workerMetricsSchema>;
export type WorkerKind = z.infer<typeof workerKindSchema>;

/** The figures of a heartbeat of a `kind` worker, or null when they are missing or do not match. */
export function readWorkerMetrics(kind: WorkerKind, info: unknown): WorkerMetrics | null {
  const parsed = workerMetricsSchema.safeParse(info);
  return parsed.success && parsed.data.kind === kind ? parsed.data : null;
}
