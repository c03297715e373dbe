import "server-only";

import { getEnv } from "@/lib/env";
import { workerKindSchema } from "@/lib/events/worker-metrics";
import { checkHealth, type HealthReport } from "@/lib/health/check-health";
import { getRealtimeStats } from "@/lib/realtime/stats";

import { getOpsSnapshot } from "./ops";
import { getDb, getKafkaConnectionOnce, getTopics } from "./server-context";

let cached: { at: number; report: Promise<HealthReport> } | null = null;

/** The health report, computed at most once a second however many pages poll it. */
export function getHealthReport(): Promise<HealthReport> {
  const now = Date.now();
  if (!cached || now - cached.at > 1_000) {
    const topics = getTopics();
    cached = {
      at: now,
      report: getOpsSnapshot().then((pipeline) =>
        checkHealth({
          db: getDb(),
          kafka: getKafkaConnectionOnce(),
          topics: [topics.ticks, topics.kpis, topics.ticksDlq],
          heartbeatSeconds: getEnv().HEARTBEAT_SECONDS,
          expectedWorkers: workerKindSchema.options,
          realtime: getRealtimeStats(),
          pipeline,
          now,
        }),
      ),
    };
  }
  return cached.report;
}
