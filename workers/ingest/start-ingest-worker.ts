import path from "node:path";

import type { Registry } from "prom-client";

import type { Db } from "@/lib/db/client";
import { getAppState, initAppState, setAppState } from "@/lib/db/queries/app-state";
import { getIngestCursor, saveIngestCursors } from "@/lib/db/queries/ingest-cursors";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { SYMBOLS_SEEDED_KEY, symbolsSeededSchema } from "@/lib/events/app-state";
import { tickV1Schema, type TickSource } from "@/lib/events/tick-v1";
import type { DriverDeps, SourceDriver } from "@/lib/ingest/driver";
import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import { createReplayDriver } from "@/lib/ingest/replay/driver";
import { createStatusReporter } from "@/lib/ingest/status-reporter";
import { watchActiveSymbols } from "@/lib/ingest/symbol-registry";
import { createSyntheticDriver } from "@/lib/ingest/synthetic/driver";
import { createTickPublisher } from "@/lib/ingest/tick-publisher";
import { createYahooDriver } from "@/lib/ingest/yahoo/driver";
import { createProducer, type KafkaClient } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { describeError, type Logger } from "@/lib/log";
import { createIngestMetrics } from "@/lib/metrics/ingest-metrics";
import { createMetricsRegistry } from "@/lib/metrics/registry";

export type IngestWorkerOptions = {
  db: Db;
  databaseUrl: string;
  kafka: KafkaClient;
  logger: Logger;
  ticksTopic: string;
  defaultSource: TickSource;
  /** Symbols to follow on a deployment's first start (once; an admin may remove them later). */
  seedSymbols: readonly string[];
  exchangeTimeZone: string;
  bufferMax: number;
  /** `backfillDays`: calendar days before today a replay symbol without a cursor starts from. */
  replay: { dataDir: string; backfillDays: number };
  synthetic: { seed: number; barsPerSecond: number };
  yahoo: { pollSeconds: number; concurrency: number; backfillDays: number; fetch?: typeof fetch };
  clock?: () => number;
  symbolPollMs?: number;
  /** Where the worker's Prometheus series go (default: a registry of its own, see `registry`). */
  registry?: Registry;
};

/**
 * Runs the ingest worker until `stop()`: follows the active symbols (LISTEN/NOTIFY), drives each
 * symbol's source, and publishes through one bounded, ordered buffer to the ticks topic.
 */
export async function startIngestWorker(options: IngestWorkerOptions) {
  const { db, logger } = options;
  const clock = options.clock ?? Date.now;

  const seeded = await getAppState(db, SYMBOLS_SEEDED_KEY, symbolsSeededSchema);
  if (seeded && !seeded.ok)
    logger.warn({ reason: seeded.reason }, "symbols.seeded holds an unexpected value; seeding again");
  if (!seeded?.ok) {
    const added = await insertSymbols(
      db,
      options.seedSymbols.map((symbol) => ({ symbol, exchangeTimezone: options.exchangeTimeZone })),
    );
    await initAppState(db, SYMBOLS_SEEDED_KEY, true);
    if (added.length > 0) logger.info({ symbols: added.map((s) => s.symbol) }, "seeded the default symbols");
  }

  const metricsRegistry = options.registry ?? createMetricsRegistry("ingest", { withProcessMetrics: false });
  const metrics = createIngestMetrics(metricsRegistry);
  const producer = createProducer(options.kafka, { idempotent: true });
  await producer.connect();
  const publisher = createTickPublisher({
    send: (messages) => sendJsonBatch(producer, options.ticksTopic, tickV1Schema, messages),
    saveCursors: (cursors) => saveIngestCursors(db, cursors),
    logger: logger.child({ component: "publisher" }),
    maxBuffered: options.bufferMax,
    metrics,
  });
  const status = createStatusReporter(db, logger);
  const depsFor = (source: TickSource): DriverDeps => ({
    publisher,
    clock,
    logger: logger.child({ source }),
    getCursor: (symbol) => getIngestCursor(db, symbol),
    loadState: (key, schema) => getAppState(db, key, schema),
    saveState: (key, value) => setAppState(db, key, value),
    reportStatus: status.report,
    markInvalid: status.markInvalid,
  });

  const recorded = loadRecordedBars(path.resolve(options.replay.dataDir));
  const drivers = {
    replay: createReplayDriver({
      recorded,
      backfillDays: options.replay.backfillDays,
      deps: depsFor("replay"),
    }),
    synthetic: createSyntheticDriver({ ...options.synthetic, deps: depsFor("synthetic") }),
    yahoo: createYahooDriver({ ...options.yahoo, deps: depsFor("yahoo"), metrics }),
  } satisfies Record<TickSource, SourceDriver<unknown>>;
  publisher.start();
  for (const driver of Object.values(drivers)) await driver.start();

  const registry = watchActiveSymbols({
    db,
    url: options.databaseUrl,
    logger,
    defaultSource: options.defaultSource,
    pollMs: options.symbolPollMs,
    onChange: (symbols) => {
      for (const [source, driver] of Object.entries(drivers))
        driver.setSymbols(symbols.filter((s) => s.source === source));
    },
  });

  return {
    registry: metricsRegistry,
    metrics: () => ({
      kind: "ingest" as const,
      publisher: publisher.metrics(),
      sources: {
        replay: drivers.replay.metrics(),
        synthetic: drivers.synthetic.metrics(),
        yahoo: drivers.yahoo.metrics(),
      },
    }),
    /** Stops watching and producing, flushes the buffer (one try if Kafka is down), saves cursors, disconnects. */
    async stop(): Promise<void> {
      await registry.stop();
      for (const driver of Object.values(drivers)) await driver.stop();
      await publisher.stop();
      await status.stop();
      await producer
        .disconnect()
        .catch((error: unknown) => logger.warn({ err: describeError(error) }, "producer disconnect failed"));
    },
  };
}

export type IngestWorker = Awaited<ReturnType<typeof startIngestWorker>>;
