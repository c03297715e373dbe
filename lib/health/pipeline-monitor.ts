import type { Db } from "@/lib/db/client";
import { listHeartbeats } from "@/lib/db/queries/heartbeats";
import { listStreamOffsets } from "@/lib/db/queries/stream-offsets";
import { listSymbolFreshness } from "@/lib/db/queries/symbol-freshness";
import type { HealthProblem } from "@/lib/events/api-health";
import {
  PIPELINE_STAGES,
  type OpsHistoryPoint,
  type OpsSnapshot,
  type PipelineStage,
  type ServiceStatus,
  type StageCounters,
} from "@/lib/events/ops-snapshot";
import type { TopicNames } from "@/lib/events/topics";
import type { WorkerKind } from "@/lib/events/worker-metrics";
import { createDeadLetterTracker } from "@/lib/health/dead-letter-tracker";
import { describeMonitorProblems, summarizeWorkers } from "@/lib/health/describe-problems";
import { createLatencyTracker } from "@/lib/health/latency-tracker";
import type { Admin, Consumer } from "@/lib/kafka/client";
import { decodeHeaders } from "@/lib/events/header-value";
import {
  assessSymbolFreshness,
  computeRatePerSecond,
  isMarketExpectedOpen,
  isPartitionStalled,
  trackPartitionProgress,
  type PartitionProgress,
} from "@/lib/kpi/pipeline-health";
import { describeError, type Logger } from "@/lib/log";
import { retry, withTimeout } from "@/lib/retry";

export type PipelineMonitorDeps = {
  db: Db;
  /** A kafkajs admin of this process; the monitor connects it and reconnects after failures. */
  admin: Admin;
  /** A consumer in a group unique to this process for the DLQ topic; null: no dead-letter reasons. */
  deadLetterConsumer: Consumer | null;
  clock: () => number;
  logger: Logger;
  topics: TopicNames;
  /** The stream worker's group, whose offsets stream_offsets holds. */
  groupId: string;
  /** Source of symbols whose `source` column is null (INGEST_SOURCE). */
  defaultSource: string;
  heartbeatSeconds: number;
  expectedWorkers: readonly WorkerKind[];
  /** This process's Socket.IO relay: updates emitted so far and connected clients; null without one. */
  getRelayStats?: () => { emitted: number; sockets: number } | null;
  sampleMs?: number;
  historyMs?: number;
  latencyWindowMs?: number;
  /** How long one broker or database request of a sample may take. */
  requestTimeoutMs?: number;
};

/** Samples over which the current throughput is averaged (about ten seconds at the default pace). */
const RATE_SAMPLES = 5;

type CounterPoint = { at: number; counters: StageCounters; lag: Record<string, number> };

const sumOffsets = (offsets: { high: string }[] | null) =>
  offsets ? offsets.reduce((sum, o) => sum + Number(o.high), 0) : null;

/**
 * Watches the pipeline from the web process every `sampleMs` (2 s): the stream worker's lag and
 * progress per partition (broker high watermarks against the offsets stored with its rows), the
 * throughput of each stage, end-to-end latency of relayed updates, freshness of every active symbol,
 * dead letters, worker heartbeats, broker and database. Keeps a few minutes of history for the
 * /ops page and hands each snapshot to `onSample` listeners (Socket.IO room `ops`).
 */
export function createPipelineMonitor(deps: PipelineMonitorDeps) {
  const { db, admin, clock, logger, topics } = deps;
  const sampleMs = deps.sampleMs ?? 2_000;
  const historyMs = deps.historyMs ?? 3 * 60_000;
  const requestTimeoutMs = deps.requestTimeoutMs ?? 1_500;
  const latency = createLatencyTracker(deps.latencyWindowMs ?? 5 * 60_000);
  const deadLetters = createDeadLetterTracker();
  const listeners = new Set<(snapshot: OpsSnapshot) => void>();
  const progress = new Map<number, PartitionProgress>();
  let points: CounterPoint[] = [];
  let latest: OpsSnapshot | null = null;
  let isAdminConnected = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<OpsSnapshot> | null = null;
  const stopping = new AbortController();

  async function readBroker() {
    const started = clock();
    try {
      if (!isAdminConnected) {
        await withTimeout(admin.connect(), requestTimeoutMs * 2, "Kafka");
        isAdminConnected = true;
      }
      const [ticks, kpis, dlq] = await withTimeout(
        Promise.all([topics.ticks, topics.kpis, topics.ticksDlq].map((t) => admin.fetchTopicOffsets(t))),
        requestTimeoutMs,
        "Kafka",
      );
      const status: ServiceStatus = { status: "ok", latencyMs: clock() - started };
      return { status, ticks: ticks ?? null, kpis: kpis ?? null, dlq: dlq ?? null };
    } catch (error) {
      isAdminConnected = false;
      // The sample already says the broker is down; the next one reconnects from scratch.
      void admin
        .disconnect()
        .catch((err: unknown) =>
          logger.debug({ err: describeError(err) }, "disconnecting the monitor's Kafka admin failed"),
        );
      const status: ServiceStatus = { status: "down", error: describeError(error) };
      return { status, ticks: null, kpis: null, dlq: null };
    }
  }

  async function readDatabase() {
    const started = clock();
    try {
      const [stored, beats, symbols] = await withTimeout(
        Promise.all([
          listStreamOffsets(db, deps.groupId, topics.ticks),
          listHeartbeats(db),
          listSymbolFreshness(db),
        ]),
        requestTimeoutMs,
        "PostgreSQL",
      );
      const status: ServiceStatus = { status: "ok", latencyMs: clock() - started };
      return { status, stored, beats, symbols };
    } catch (error) {
      const status: ServiceStatus = { status: "down", error: describeError(error) };
      return { status, stored: null, beats: null, symbols: null };
    }
  }

  async function sample(): Promise<OpsSnapshot> {
    const [broker, database] = await Promise.all([readBroker(), readDatabase()]);
    const at = clock();

    // Progress needs both sides; when one is missing the partitions keep their last known state, and
    // none is called stalled (whether its offset moved is unknown; the broker or database problem says why).
    const isProgressKnown = broker.ticks !== null && database.stored !== null;
    if (broker.ticks && database.stored) {
      for (const o of broker.ticks) {
        const storedOffset = database.stored.get(o.partition) ?? Number(o.low);
        const next = trackPartitionProgress(progress.get(o.partition) ?? null, {
          storedOffset,
          highWatermark: Number(o.high),
          at,
        });
        progress.set(o.partition, next);
      }
    }
    const partitions = [...progress.entries()]
      .sort(([a], [b]) => a - b)
      .map(([partition, p]) => ({
        partition,
        highWatermark: p.highWatermark,
        storedOffset: p.storedOffset,
        lag: p.lag,
        hasProgressed: p.hasProgressed,
        stuckForMs: p.stuckSince === null ? null : at - p.stuckSince,
        isStalled: isProgressKnown && isPartitionStalled(p, at),
      }));

    const relay = deps.getRelayStats?.() ?? null;
    const counters: StageCounters = {
      produced: sumOffsets(broker.ticks),
      applied: broker.ticks && database.stored ? partitions.reduce((s, p) => s + p.storedOffset, 0) : null,
      published: sumOffsets(broker.kpis),
      emitted: relay?.emitted ?? null,
      deadLettered: sumOffsets(broker.dlq),
    };
    points.push({
      at,
      counters,
      lag: Object.fromEntries(partitions.map((p) => [String(p.partition), p.lag])),
    });
    points = points.filter((p) => p.at > at - historyMs);

    const freshness = (database.symbols ?? [])
      .map((s) => {
        const source = s.source ?? deps.defaultSource;
        const isMarketOpen = isMarketExpectedOpen(source, s.marketState);
        const newestBarTs = s.newestBarAt?.getTime() ?? null;
        return {
          symbol: s.symbol,
          source,
          marketState: s.marketState,
          isMarketOpen,
          newestBarTs,
          lastTickTs: s.lastTickAt?.getTime() ?? null,
          ...assessSymbolFreshness({
            newestBarTs,
            activeSince: s.updatedAt.getTime(),
            pollIntervalSeconds: s.pollIntervalSeconds,
            isMarketOpen,
            now: at,
          }),
        };
      })
      // Stalest first; a symbol without any bar is the stalest of all.
      .sort((a, b) => (b.ageMs ?? Infinity) - (a.ageMs ?? Infinity));

    const workers = database.beats ? summarizeWorkers(database.beats, deps.heartbeatSeconds) : [];
    const problems: HealthProblem[] = describeMonitorProblems({
      broker: broker.status,
      database: database.status,
      ticksTopic: topics.ticks,
      partitions,
      freshness,
      workers: database.beats ? workers : null,
      expectedWorkers: deps.expectedWorkers,
      heartbeatSeconds: deps.heartbeatSeconds,
    });
    const dead = deadLetters.read();
    const snapshot: OpsSnapshot = {
      sampledAt: at,
      sampleMs,
      status:
        broker.status.status === "down" || database.status.status === "down"
          ? "down"
          : problems.length > 0
            ? "degraded"
            : "ok",
      problems,
      broker: broker.status,
      database: database.status,
      topics,
      groupId: deps.groupId,
      throughput: computeThroughput(points),
      partitions,
      latency: latency.summarize(at),
      freshness,
      deadLetters: { total: counters.deadLettered, ...dead },
      workers,
      sockets: relay?.sockets ?? null,
      history: toHistory(points),
    };
    latest = snapshot;
    for (const listener of listeners) listener(snapshot);
    return snapshot;
  }

  /** One sample at a time: a slow broker stretches the pace instead of piling samples up. */
  function sampleOnce(): Promise<OpsSnapshot> {
    inFlight ??= sample().finally(() => (inFlight = null));
    return inFlight;
  }

  async function runDeadLetterConsumer(consumer: Consumer): Promise<void> {
    const start = async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topics.ticksDlq], fromBeginning: false });
      await consumer.run({
        eachMessage: ({ message }) => {
          deadLetters.observe({
            key: message.key?.toString() ?? null,
            headers: decodeHeaders(message.headers),
            receivedAt: clock(),
          });
          return Promise.resolve();
        },
      });
    };
    try {
      await retry(start, {
        baseMs: 1_000,
        maxMs: 15_000,
        signal: stopping.signal,
        onRetry: async (error, _attempt, delayMs) => {
          logger.warn({ err: describeError(error), retryInMs: delayMs }, "dead-letter reader unavailable");
          await consumer
            .disconnect()
            .catch((err: unknown) =>
              logger.debug({ err: describeError(err) }, "disconnecting the failed dead-letter reader failed"),
            );
        },
      });
    } catch {
      return; // only stop() ends the loop
    }
  }

  return {
    sampleMs,
    /** Starts sampling (the first sample at once) and reading dead letters. */
    start(): void {
      const tick = () => {
        void sampleOnce()
          .catch((error: unknown) => logger.warn({ err: describeError(error) }, "pipeline sample failed"))
          .finally(() => {
            if (!stopping.signal.aborted) timer = setTimeout(tick, sampleMs);
          });
      };
      tick();
      if (deps.deadLetterConsumer) {
        const consumer = deps.deadLetterConsumer;
        consumer.on(consumer.events.CRASH, (event) => {
          if (!event.payload.restart && !stopping.signal.aborted) void runDeadLetterConsumer(consumer);
        });
        void runDeadLetterConsumer(consumer);
      }
    },
    /** Takes a sample now (tests; a page that needs one before the first tick). */
    sampleNow: sampleOnce,
    /** The newest snapshot, or null before the first sample. */
    getSnapshot: (): OpsSnapshot | null => latest,
    /** Records one update relayed to the browsers (from the realtime consumer). */
    observeRelay: (update: Parameters<typeof latency.observe>[0]) => latency.observe(update),
    onSample(listener: (snapshot: OpsSnapshot) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop(): Promise<void> {
      stopping.abort();
      clearTimeout(timer);
      // stop only waits for the sample in flight to end; whoever asked for it sees its failure.
      await inFlight?.catch(() => undefined);
      const warnDisconnect = (what: string) => (err: unknown) =>
        logger.warn({ err: describeError(err) }, `disconnecting the monitor's ${what} failed`);
      await deps.deadLetterConsumer?.disconnect().catch(warnDisconnect("dead-letter reader"));
      await admin.disconnect().catch(warnDisconnect("Kafka admin"));
    },
  };
}

export type PipelineMonitor = ReturnType<typeof createPipelineMonitor>;

/** Per stage, events per second over the last {@link RATE_SAMPLES} samples. */
function computeThroughput(points: readonly CounterPoint[]): OpsSnapshot["throughput"] {
  const last = points[points.length - 1];
  const first = points[Math.max(0, points.length - 1 - RATE_SAMPLES)];
  return Object.fromEntries(
    PIPELINE_STAGES.map((stage) => [stage, rateBetween(first, last, stage)]),
  ) as OpsSnapshot["throughput"];
}

function rateBetween(
  from: CounterPoint | undefined,
  to: CounterPoint | undefined,
  stage: PipelineStage,
): number | null {
  const a = from?.counters[stage];
  const b = to?.counters[stage];
  if (!from || !to || from === to || a === null || a === undefined || b === null || b === undefined)
    return null;
  return computeRatePerSecond(a, b, to.at - from.at);
}

function toHistory(points: readonly CounterPoint[]): OpsHistoryPoint[] {
  return points.slice(1).map((point, i) => ({
    at: point.at,
    rates: Object.fromEntries(
      PIPELINE_STAGES.map((stage) => [stage, rateBetween(points[i], point, stage)]),
    ) as OpsHistoryPoint["rates"],
    lag: point.lag,
  }));
}
