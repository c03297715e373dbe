import { z } from "zod";

import { componentStatusSchema, healthProblemSchema } from "@/lib/events/api-health";
import { deadLetterReasonClassSchema } from "@/lib/events/dead-letter";

// What the web process's pipeline monitor (lib/health/pipeline-monitor.ts) knows after each sample:
// the body of GET /api/ops and the payload of the Socket.IO event `ops:updated`. Times are epoch ms.

const count = z.number().int().nonnegative();
const rate = z.number().nonnegative().nullable();
const ms = z.number().nonnegative();

/** The stages whose throughput the monitor follows, in pipeline order. */
export const pipelineStageSchema = z.enum(["produced", "applied", "published", "emitted", "deadLettered"]);

export const serviceStatusSchema = z.object({
  status: componentStatusSchema,
  /** How long the monitor's last request took. */
  latencyMs: ms.optional(),
  error: z.string().optional(),
});

export const partitionStateSchema = z.object({
  partition: count,
  highWatermark: count,
  /** The stream worker's next offset (stream_offsets), or the log start before its first batch. */
  storedOffset: count,
  lag: count,
  hasProgressed: z.boolean(),
  /** How long the partition has had lag with an unchanged stored offset; null while it has none. */
  stuckForMs: ms.nullable(),
  isStalled: z.boolean(),
});

export const latencySummarySchema = z.object({
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  count,
});

export const symbolFreshnessSchema = z.object({
  symbol: z.string(),
  source: z.string(),
  marketState: z.string().nullable(),
  isMarketOpen: z.boolean(),
  /** Start of the newest stored bar (fact_prices); null before the first. */
  newestBarTs: z.number().nullable(),
  /** Start of the newest bar that reached Kafka (symbols.last_tick_at). */
  lastTickTs: z.number().nullable(),
  ageMs: z.number().nullable(),
  expectedMs: ms,
  isStale: z.boolean(),
});

export const deadLetterSchema = z.object({
  /** When the stream worker dead-lettered it (header), else when this process received it. */
  at: z.number(),
  reasonClass: deadLetterReasonClassSchema,
  reason: z.string(),
  key: z.string().nullable(),
  sourcePartition: z.number().int().nullable(),
  sourceOffset: z.number().int().nullable(),
});

export const workerInstanceSchema = z.object({
  workerId: z.string(),
  kind: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  startedAt: z.number(),
  lastBeatAt: z.number(),
  ageSeconds: z.number(),
  isStale: z.boolean(),
});

/** Counters (totals) of one sample; rates come from two of them. */
export const stageCountersSchema = z.record(pipelineStageSchema, count.nullable());

export const opsHistoryPointSchema = z.object({
  at: z.number(),
  /** Events per second of each stage since the previous sample. */
  rates: z.record(pipelineStageSchema, rate),
  /** Lag by partition (the key is the partition number). */
  lag: z.record(z.string(), count),
});

export const opsSnapshotSchema = z.object({
  sampledAt: z.number(),
  sampleMs: ms,
  /** Overall state of what the monitor watches (partitions, freshness, services). */
  status: componentStatusSchema,
  problems: z.array(healthProblemSchema),
  broker: serviceStatusSchema,
  database: serviceStatusSchema,
  topics: z.object({ ticks: z.string(), kpis: z.string(), ticksDlq: z.string() }),
  groupId: z.string(),
  /** Events per second of each stage over the last few samples. */
  throughput: z.record(pipelineStageSchema, rate),
  partitions: z.array(partitionStateSchema),
  latency: z.object({
    windowMs: ms,
    /** The stream worker's publish (update.publishedAt) → received by this web process for relaying. */
    publishedToRelayed: latencySummarySchema,
    /** The tick's producedAt (Kafka header, when the stream worker sets it) → received here. */
    producedToRelayed: latencySummarySchema,
  }),
  /** Active symbols, stalest first. */
  freshness: z.array(symbolFreshnessSchema),
  deadLetters: z.object({
    /** Every dead letter ever (the DLQ topic's high watermarks); null while the broker is away. */
    total: count.nullable(),
    /** Received since this web process started, by reason class. */
    byReason: z.partialRecord(deadLetterReasonClassSchema, count),
    recent: z.array(deadLetterSchema),
  }),
  workers: z.array(workerInstanceSchema),
  /** Socket.IO clients connected to this web process; null where no relay runs. */
  sockets: count.nullable(),
  history: z.array(opsHistoryPointSchema),
});

export type PipelineStage = z.infer<typeof pipelineStageSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type PartitionState = z.infer<typeof partitionStateSchema>;
export type LatencySummary = z.infer<typeof latencySummarySchema>;
export type SymbolFreshnessState = z.infer<typeof symbolFreshnessSchema>;
export type DeadLetter = z.infer<typeof deadLetterSchema>;
export type WorkerInstance = z.infer<typeof workerInstanceSchema>;
export type StageCounters = z.infer<typeof stageCountersSchema>;
export type OpsHistoryPoint = z.infer<typeof opsHistoryPointSchema>;
export type OpsSnapshot = z.infer<typeof opsSnapshotSchema>;

export const PIPELINE_STAGES = pipelineStageSchema.options;
