import type { HealthProblem } from "@/lib/events/api-health";
import type { WorkerKind } from "@/lib/events/worker-metrics";
import type {
  PartitionState,
  ServiceStatus,
  SymbolFreshnessState,
  WorkerInstance,
} from "@/lib/events/ops-snapshot";
import { HEARTBEAT_STALE_BEATS, isHeartbeatStale } from "@/lib/kpi/pipeline-health";

/** "45 s", "3 min", "2 h": the age or duration a sentence names. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

type HeartbeatRow = {
  workerId: string;
  kind: string;
  hostname: string;
  pid: number;
  startedAt: Date;
  lastBeatAt: Date;
  ageSeconds: number;
};

/** Worker instances from their heartbeats, newest beat first, each marked stale or live. */
export function summarizeWorkers(beats: readonly HeartbeatRow[], heartbeatSeconds: number): WorkerInstance[] {
  return beats.map((b) => ({
    workerId: b.workerId,
    kind: b.kind,
    hostname: b.hostname,
    pid: b.pid,
    startedAt: b.startedAt.getTime(),
    lastBeatAt: b.lastBeatAt.getTime(),
    ageSeconds: b.ageSeconds,
    isStale: isHeartbeatStale(b.ageSeconds, heartbeatSeconds),
  }));
}

/**
 * The problem of a worker kind without a live instance, or null while one beats. A kind counts as
 * running while any instance beats: a killed instance's row stays behind (nothing deletes it), and
 * its partitions move to the others, whose progress the partition rule watches.
 */
export function describeWorkerProblem(
  kind: string,
  instances: readonly Pick<WorkerInstance, "kind" | "ageSeconds" | "isStale">[],
  heartbeatSeconds: number,
): HealthProblem | null {
  const mine = instances.filter((w) => w.kind === kind);
  if (mine.some((w) => !w.isStale)) return null;
  const freshest = Math.min(...mine.map((w) => w.ageSeconds));
  return {
    check: "worker",
    subject: kind,
    message:
      mine.length === 0
        ? `No ${kind} worker is running: none has ever sent a heartbeat.`
        : `The ${kind} worker is not running: its last heartbeat is ${formatDuration(freshest * 1000)} old, ` +
          `and it beats every ${heartbeatSeconds} s (stale after ${HEARTBEAT_STALE_BEATS} missed beats).`,
  };
}

export function describePartitionProblem(topic: string, p: PartitionState): HealthProblem | null {
  if (!p.isStalled) return null;
  return {
    check: "partition",
    subject: `${topic}/${p.partition}`,
    message:
      `Partition ${p.partition} of ${topic} has ${p.lag.toLocaleString("en-US")} unapplied event${p.lag === 1 ? "" : "s"} ` +
      `and the stream worker's stored offset has not moved for ${formatDuration(p.stuckForMs ?? 0)}: ` +
      `no worker is making progress on it.`,
  };
}

export function describeFreshnessProblem(s: SymbolFreshnessState): HealthProblem | null {
  if (!s.isStale) return null;
  const expected = formatDuration(s.expectedMs);
  return {
    check: "freshness",
    subject: s.symbol,
    message:
      s.ageMs === null
        ? `${s.symbol} (${s.source}) has no bar yet although its market is open (expected within ${expected}).`
        : `${s.symbol} (${s.source}): the newest bar started ${formatDuration(s.ageMs)} ago while its market ` +
          `is open; a new one is expected within ${expected}.`,
  };
}

/** Every problem the monitor sees in one sample, in pipeline order. */
export function describeMonitorProblems(input: {
  broker: ServiceStatus;
  database: ServiceStatus;
  ticksTopic: string;
  partitions: readonly PartitionState[];
  freshness: readonly SymbolFreshnessState[];
  /** null when the heartbeats could not be read (the database problem says why). */
  workers: readonly WorkerInstance[] | null;
  expectedWorkers: readonly WorkerKind[];
  heartbeatSeconds: number;
}): HealthProblem[] {
  const problems: HealthProblem[] = [];
  if (input.broker.status === "down")
    problems.push({
      check: "kafka",
      subject: "broker",
      message: `Kafka does not answer: ${input.broker.error}.`,
    });
  if (input.database.status === "down")
    problems.push({
      check: "postgres",
      subject: "database",
      message: `PostgreSQL does not answer: ${input.database.error}.`,
    });
  for (const kind of input.workers ? input.expectedWorkers : []) {
    const problem = describeWorkerProblem(kind, input.workers ?? [], input.heartbeatSeconds);
    if (problem) problems.push(problem);
  }
  for (const p of input.partitions) {
    const problem = describePartitionProblem(input.ticksTopic, p);
    if (problem) problems.push(problem);
  }
  for (const s of input.freshness) {
    const problem = describeFreshnessProblem(s);
    if (problem) problems.push(problem);
  }
  return problems;
}
