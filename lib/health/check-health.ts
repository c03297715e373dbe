import { sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import type { ComponentStatus, HealthReport } from "@/lib/events/api-health";
import { listHeartbeats } from "@/lib/db/queries/heartbeats";
import { readWorkerMetrics } from "@/lib/events/worker-metrics";
import { probeKafka } from "@/lib/kafka/probe";
import { describeError } from "@/lib/log";
import { withTimeout } from "@/lib/retry";

// The report is a REST body: its one definition is the schema the browser parses it with.
export type { ComponentStatus, HealthReport } from "@/lib/events/api-health";

export type HealthDeps = {
  db: Db;
  brokers: string[];
  topics: string[];
  heartbeatSeconds: number;
  expectedWorkers: readonly string[];
  realtime: Record<string, unknown> | null;
  timeoutMs?: number;
};

/**
 * Checks each part of the pipeline within a few seconds: PostgreSQL answers a query, Kafka answers
 * and has the topics, each worker kind wrote a heartbeat in the last three intervals.
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const pgStarted = Date.now();
  const [pg, kafka] = await Promise.all([
    withTimeout(deps.db.execute(sql`select 1`), timeoutMs, "PostgreSQL").then(
      () => ({ status: "ok" as const, latencyMs: Date.now() - pgStarted }),
      (error: unknown) => ({ status: "down" as const, error: describeError(error) }),
    ),
    probeKafka(deps.brokers, deps.topics, timeoutMs),
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
      const staleAfter = deps.heartbeatSeconds * 3;
      for (const kind of deps.expectedWorkers) {
        const mine = beats.filter((b) => b.kind === kind);
        const freshest = mine[0];
        const live = mine.filter((b) => b.ageSeconds <= staleAfter);
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
    checkedAt: new Date().toISOString(),
    postgres: pg,
    kafka: kafkaPart,
    workers,
    realtime: deps.realtime,
  };
  return { ...report, ...summarizeHealth(report) };
}

/** Overall status and one plain sentence per part, as the health page shows them. */
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
  const parts = [
    report.postgres.status,
    report.kafka.status,
    ...Object.values(report.workers).map((w) => w.status),
  ];
  const status: ComponentStatus =
    report.postgres.status === "down" || report.kafka.status === "down"
      ? "down"
      : parts.every((p) => p === "ok")
        ? "ok"
        : "degraded";
  return { status, summary };
}
