// Stream worker: consumes market.ticks in a consumer group, writes KPIs to PostgreSQL exactly once
// (rows and offsets in one transaction), dead-letters invalid events and publishes live updates to
// market.kpis after each commit. Start with `tsx workers/stream.ts` (npm start runs it).
import { checkRuntimePrivileges } from "@/lib/db/runtime-privileges";
import { getEnv } from "@/lib/env";
import type { KafkaMembershipMessage } from "@/lib/events/kafka-membership";
import { createKafkaClient } from "@/lib/kafka/client";
import { getKafkaConnection } from "@/lib/kafka/connection";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { createWorkerDb, runWorker, serveWorkerMetrics, startHeartbeat } from "@/workers/run-worker";
import { startStreamWorker } from "@/workers/stream/start-stream-worker";
import { DEFAULT_WEBHOOK_RETRY_POLICY } from "@/lib/alerts/webhook-retry";
import { createWebhookSender } from "@/lib/alerts/webhook-sender";
import { parseWebhookHostPolicy } from "@/lib/alerts/webhook-url";

void runWorker("stream", async (ctx) => {
  const env = getEnv();
  const { logger } = ctx;
  const db = createWorkerDb(ctx, env.DATABASE_URL, "stream");
  // Before any work: a runtime role with DDL or superuser rights is refused (DATABASE_PRIVILEGE_CHECK).
  await checkRuntimePrivileges(db, { mode: env.DATABASE_PRIVILEGE_CHECK, logger });
  const registry = createMetricsRegistry("stream");
  await serveWorkerMetrics(ctx, registry, { host: env.METRICS_HOST, port: env.STREAM_METRICS_PORT });
  const kafka = createKafkaClient({
    ...getKafkaConnection(env),
    clientId: `${env.KAFKA_CLIENT_ID}-stream`,
    logger,
  });
  const worker = await startStreamWorker({
    db,
    kafka,
    logger,
    topics: { ticks: env.TOPIC_TICKS, kpis: env.TOPIC_KPIS, ticksDlq: env.TOPIC_TICKS_DLQ },
    groupId: env.STREAM_GROUP_ID,
    windows: env.KPI_WINDOWS,
    finalGraceSeconds: env.BAR_FINAL_GRACE_SECONDS,
    defaultTimeZone: env.EXCHANGE_TIMEZONE,
    symbolPolicy: { unknownSymbols: env.UNKNOWN_SYMBOLS, maxRegisteredSymbols: env.MAX_REGISTERED_SYMBOLS },
    maxCachedSymbols: env.STREAM_MAX_CACHED_SYMBOLS,
    maxCachedBars: env.STREAM_MAX_CACHED_BARS,
    fetchMaxBytes: env.STREAM_FETCH_MAX_BYTES,
    rawTicksRetentionHours: env.RAW_TICKS_RETENTION_HOURS,
    futureBarToleranceSeconds: env.FUTURE_BAR_TOLERANCE_SECONDS,
    sessionTimeoutMs: env.STREAM_SESSION_TIMEOUT_MS,
    handedOverMemberId: env.STREAM_HANDED_OVER_MEMBER_ID,
    // Started by npm start's supervisor (an IPC channel): it hands this id over if the worker dies. A
    // channel closed meanwhile (the supervisor gone) is no error: the callback takes it.
    onJoin: (memberId) => {
      if (!process.send || !process.connected) return;
      const message: KafkaMembershipMessage = {
        type: "kafka-membership",
        groupId: env.STREAM_GROUP_ID,
        memberId,
      };
      process.send(message, undefined, undefined, () => {});
    },
    databaseUrl: env.DATABASE_URL,
    webhooks: {
      send: createWebhookSender({
        policy: parseWebhookHostPolicy(env.WEBHOOK_ALLOWED_HOSTS),
        timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      }),
      retry: { ...DEFAULT_WEBHOOK_RETRY_POLICY, maxAttempts: env.WEBHOOK_MAX_ATTEMPTS },
    },
    registry,
  });
  ctx.onShutdown(() => worker.stop());
  // kafkajs gave up restarting the consumer: exit non-zero so that the supervisor starts a fresh process.
  void worker.failed.then(() => ctx.shutdown("consumer gave up", 1));
  ctx.onShutdown(startHeartbeat(db, ctx, "stream", env.HEARTBEAT_SECONDS * 1000, worker.metrics));
  logger.info({ topic: env.TOPIC_TICKS, group: env.STREAM_GROUP_ID }, "stream worker running");
});
