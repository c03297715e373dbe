import { sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import type { ComponentStatus, HealthProblem, HealthReport } from "@/lib/events/api-health";
import { listHeartbeats } from "@/lib/db/queries/heartbeats";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import type { RealtimeStats } from "@/lib/events/realtime-stats";
import { readWorkerMetrics, type WorkerKind } from "@/lib/events/worker-metrics";
import { describeWorkerProblem, formatDuration } from "@/lib/health/describe-problems";
import { isHeartbeatStale } from "@/lib/kpi/pipeline-health";
import type { KafkaConnection } from "@/lib/kafka/connection";
import { probeKafka } from "@/lib/kafka/probe";
import { describeError } from "@/lib/log";
import { withTimeout } from "@/lib/retry";

// The report is a REST body: its one definition is the schema the browser parses it with.
export type { ComponentStatus, HealthReport } from "@/lib/events/api-health";

export type HealthDeps = {
  db: Db;
  kafka: KafkaConnection;
  topics: string[];
  heartbeatSeconds: number;
  expectedWorkers: readonly WorkerKind[];
  realtime: RealtimeStats | null;
  /** The pipeline monitor's newest snapshot (lag, progress, freshness); null where none runs. */
  pipeline: OpsSnapshot | null;
  /** Current time (epoch ms), to tell how old the monitor's snapshot is. */
  now: number;
  timeoutMs?: number;
};

/** Samples the monitor may miss before its figures no longer count as current. */
const MONITOR_MISSED_SAMPLES = 3;

/**
 * Checks each part of the pipeline within a few seconds: PostgreSQL answers a query, Kafka answers
 * and has the topics, each worker kind has a live heartbeat (lib/kpi/pipeline-health), and the
 * pipeline monitor sees every partition make progress and every active symbol fresh.
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const pgStarted = Date.now();
  const [pg, kafka] = await Promise.all([
    withTimeout(deps.db.execute(sql`select 1`), timeoutMs, "PostgreSQL").then(
      () => ({ status: "ok" as const, latencyMs: Date.now() - pgStarted }),
      (error: unknown) => ({ status: "down" as const, error: describeError(error) }),
    ),
    probeKafka(deps.kafka, deps.topics, timeoutMs),
  ]);

  const kafkaPart: HealthReport["kafka"] = kafka.ok
    ? {
        status: kafka.topics.every((t) => t.partitions > 0) ? "ok" : "degraded",
        latencyMs: kafka.latencyMs,
        topics: kafka.topics.map((t) => ({ ...t, present: t.partitions > 0 })),
      }
    : {
        status: "down",
        error: kafka.error,
        topics: deps.topics.map((topic) => ({ topic, partitions: 0, present: false })),
      };

  const workers: HealthReport["workers"] = {};
  if (pg.status === "ok") {
    try {
      const beats = await withTimeout(listHeartbeats(deps.db), timeoutMs, "heartbeats");
      for (const kind of deps.expectedWorkers) {
        const mine = beats.filter((b) => b.kind === kind);
        const freshest = mine[0];
        const live = mine.filter((b) => !isHeartbeatStale(b.ageSeconds, deps.heartbeatSeconds));
        const info = live[0] ? readWorkerMetrics(kind, live[0].info) : null;
        workers[kind] = {
          status: live.length > 0 ? "ok" : "down",
          instances: live.length,
          lastBeatSecondsAgo: freshest ? Math.round(freshest.ageSeconds) : null,
          ...(info && { info }),
        };
      }
    } catch (error) {
      for (const kind of deps.expectedWorkers)
        workers[kind] = {
          status: "unknown",
          instances: 0,
          lastBeatSecondsAgo: null,
          error: describeError(error),
        };
    }
  } else {
    for (const kind of deps.expectedWorkers)
      workers[kind] = {
        status: "unknown",
        instances: 0,
        lastBeatSecondsAgo: null,
        error: "PostgreSQL is down",
      };
  }

  const report: Omit<HealthReport, "status" | "summary"> = {
    checkedAt: new Date(deps.now).toISOString(),
    postgres: pg,
    kafka: kafkaPart,
    workers,
    realtime: deps.realtime,
    pipeline: deps.pipeline && {
      sampledAt: deps.pipeline.sampledAt,
      partitions: deps.pipeline.partitions.length,
      stalledPartitions: deps.pipeline.partitions.filter((p) => p.isStalled).length,
      totalLag: deps.pipeline.partitions.reduce((sum, p) => sum + p.lag, 0),
      appliedPerSecond: deps.pipeline.throughput.applied,
      activeSymbols: deps.pipeline.freshness.length,
      staleSymbols: deps.pipeline.freshness.filter((s) => s.isStale).length,
    },
    problems: [
      ...describeComponentProblems(pg, kafkaPart, workers, deps.heartbeatSeconds),
      ...describePipelineProblems(deps.pipeline, deps.now),
    ],
  };
  return { ...report, ...summarizeHealth(report) };
}

function describeComponentProblems(
  pg: HealthReport["postgres"],
  kafka: HealthReport["kafka"],
  workers: HealthReport["workers"],
  heartbeatSeconds: number,
): HealthProblem[] {
  const problems: HealthProblem[] = [];
  if (pg.status !== "ok")
    problems.push({
      check: "postgres",
      subject: "database",
      message: `PostgreSQL does not answer: ${pg.error}.`,
    });
  if (kafka.status === "down")
    problems.push({ check: "kafka", subject: "broker", message: `Kafka does not answer: ${kafka.error}.` });
  for (const t of kafka.topics.filter((t) => !t.present && kafka.status !== "down"))
    problems.push({ check: "kafka", subject: t.topic, message: `Topic ${t.topic} is missing.` });
  for (const [kind, w] of Object.entries(workers)) {
    if (w.status === "ok") continue;
    const problem =
      w.status === "unknown"
        ? {
            check: "worker" as const,
            subject: kind,
            message: `The ${kind} worker's state is unknown (${w.error}).`,
          }
        : describeWorkerProblem(
            kind,
            w.lastBeatSecondsAgo === null ? [] : [{ kind, ageSeconds: w.lastBeatSecondsAgo, isStale: true }],
            heartbeatSeconds,
          );
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * The monitor's partition and freshness problems. Its service and worker findings are left out: this
 * report probes those itself. Figures older than a few samples say nothing about now, so a silent
 * monitor is a problem of its own rather than a clean bill of health.
 */
export function describePipelineProblems(pipeline: OpsSnapshot | null, now: number): HealthProblem[] {
  if (!pipeline)
    return [
      {
        check: "monitor",
        subject: "pipeline monitor",
        message: "The pipeline monitor is not running in this process: lag and freshness are unknown.",
      },
    ];
  const ageMs = now - pipeline.sampledAt;
  if (ageMs > pipeline.sampleMs * MONITOR_MISSED_SAMPLES)
    return [
      {
        check: "monitor",
        subject: "pipeline monitor",
        message: `The pipeline monitor has not sampled for ${formatDuration(ageMs)}: lag and freshness are unknown.`,
      },
    ];
  return pipeline.problems.filter((p) => p.check === "partition" || p.check === "freshness");
}

/** Problems that no per-component sentence above already states. */
const PIPELINE_CHECKS = new Set<HealthProblem["check"]>(["partition", "freshness", "monitor"]);

/**
 * Overall status and one plain sentence per part, as the health page shows them: "ok" only when
 * every part is up and nothing is stuck or stale.
 */
export function summarizeHealth(report: Omit<HealthReport, "status" | "summary">): {
  status: ComponentStatus;
  summary: string[];
} {
  const summary: string[] = [];
  summary.push(
    report.postgres.status === "ok"
      ? `PostgreSQL is up (${report.postgres.latencyMs} ms).`
      : `PostgreSQL is DOWN: ${report.postgres.error}.`,
  );
  if (report.kafka.status === "down") summary.push(`Kafka is DOWN: ${report.kafka.error}.`);
  else {
    const missing = report.kafka.topics.filter((t) => !t.present).map((t) => t.topic);
    summary.push(
      missing.length
        ? `Kafka is up but topics are missing: ${missing.join(", ")}.`
        : `Kafka is up; topics ${report.kafka.topics.map((t) => `${t.topic} (${t.partitions})`).join(", ")}.`,
    );
  }
  for (const [kind, w] of Object.entries(report.workers)) {
    if (w.status === "ok")
      summary.push(
        `The ${kind} worker is running (${w.instances} instance${w.instances === 1 ? "" : "s"}, last heartbeat ${w.lastBeatSecondsAgo}s ago).`,
      );
    else if (w.status === "unknown") summary.push(`The ${kind} worker's state is unknown (${w.error}).`);
    else
      summary.push(
        w.lastBeatSecondsAgo === null
          ? `The ${kind} worker is NOT running (no heartbeat).`
          : `The ${kind} worker is NOT running (last heartbeat ${w.lastBeatSecondsAgo}s ago).`,
      );
  }
  const { pipeline } = report;
  if (pipeline && pipeline.stalledPartitions === 0 && pipeline.partitions > 0)
    summary.push(
      `The stream worker is making progress on all ${pipeline.partitions} partitions ` +
        `(${pipeline.totalLag.toLocaleString("en-US")} events behind` +
        `${pipeline.appliedPerSecond === null ? "" : `, applying ${pipeline.appliedPerSecond.toFixed(1)}/s`}).`,
    );
  if (pipeline && pipeline.activeSymbols > 0 && pipeline.staleSymbols === 0)
    summary.push(
      `Every active symbol (${pipeline.activeSymbols}) has a recent bar, or its market is closed.`,
    );
  for (const problem of report.problems.filter((p) => PIPELINE_CHECKS.has(p.check)))
    summary.push(problem.message);
  const parts = [
    report.postgres.status,
    report.kafka.status,
    ...Object.values(report.workers).map((w) => w.status),
  ];
  const status: ComponentStatus =
    report.postgres.status === "down" || report.kafka.status === "down"
      ? "down"
      : parts.every((p) => p === "ok") && report.problems.length === 0
        ? "ok"
        : "degraded";
  return { status, summary };
}
