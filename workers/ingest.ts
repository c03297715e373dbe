// Ingest worker: follows the active symbols (PostgreSQL LISTEN/NOTIFY), produces 1-minute bars from
// each symbol's source (yahoo, replay, synthetic) and publishes them to market.ticks, keyed by symbol,
// with an idempotent producer. Start with `tsx workers/ingest.ts` (npm start runs it).
import { startBiWatchdog } from "@/lib/db/bi-watchdog";
import { checkRuntimePrivileges } from "@/lib/db/runtime-privileges";
import { getEnv } from "@/lib/env";
import { createKafkaClient } from "@/lib/kafka/client";
import { getKafkaConnection } from "@/lib/kafka/connection";
import { startIngestWorker } from "@/workers/ingest/start-ingest-worker";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { createWorkerDb, runWorker, serveWorkerMetrics, startHeartbeat } from "@/workers/run-worker";

void runWorker("ingest", async (ctx) => {
  const env = getEnv();
  const { logger } = ctx;
  const db = createWorkerDb(ctx, env.DATABASE_URL, "ingest");
  // Before any work: a runtime role with DDL or superuser rights is refused (DATABASE_PRIVILEGE_CHECK).
  await checkRuntimePrivileges(db, { mode: env.DATABASE_PRIVILEGE_CHECK, logger });
  const registry = createMetricsRegistry("ingest");
  await serveWorkerMetrics(ctx, registry, { host: env.METRICS_HOST, port: env.INGEST_METRICS_PORT });
  const worker = await startIngestWorker({
    db,
    databaseUrl: env.DATABASE_URL,
    kafka: createKafkaClient({
      ...getKafkaConnection(env),
      clientId: `${env.KAFKA_CLIENT_ID}-ingest`,
      logger,
    }),
    logger,
    registry,
    ticksTopic: env.TOPIC_TICKS,
    defaultSource: env.INGEST_SOURCE,
    seedSymbols: env.DEFAULT_SYMBOLS,
    exchangeTimeZone: env.EXCHANGE_TIMEZONE,
    bufferMax: env.INGEST_BUFFER_MAX,
    replay: { dataDir: env.REPLAY_DATA_DIR, backfillDays: env.REPLAY_BACKFILL_DAYS },
    synthetic: { seed: env.SYNTHETIC_SEED, barsPerSecond: env.SYNTHETIC_BARS_PER_SECOND },
    yahoo: {
      pollSeconds: env.YAHOO_POLL_SECONDS,
      concurrency: env.YAHOO_CONCURRENCY,
      backfillDays: env.YAHOO_BACKFILL_DAYS,
    },
  });
  ctx.onShutdown(() => worker.stop());
  // One watchdog per installation is enough; the ingest worker is the process that runs once.
  ctx.onShutdown(startBiWatchdog({ db, logger, limitSeconds: env.BI_STATEMENT_LIMIT_SECONDS }));
  ctx.onShutdown(startHeartbeat(db, ctx, "ingest", env.HEARTBEAT_SECONDS * 1000, worker.metrics));
  logger.info({ defaultSource: env.INGEST_SOURCE }, "ingest worker running");
});
