import { getEnv } from "@/lib/env";
import { closeDb, createDb } from "@/lib/db/client";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { createSyntheticWalk } from "@/lib/ingest/synthetic/walk";
import { createKafkaClient, createProducer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { createLogger } from "@/lib/log";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { connectAs } from "@/scripts/stack/kafka-credentials";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";
import {
  createPipelineTopics,
  getProcessGroups,
  createScratchDatabase,
  deleteTopics,
  dropScratchDatabase,
} from "@/scripts/stack/scratch";
import { startStreamWorker } from "@/workers/stream/start-stream-worker";

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 200);
const BARS_PER_SYMBOL = Number(process.env.BENCH_BARS ?? 300);

/**
 * Stream worker throughput: SYMBOLS × BARS synthetic bars (a full day's worth of minutes spread over
 * many symbols) are produced to a fresh topic, then one worker consumes them into a fresh database.
 * Prints produce rate, end-to-end processing rate and the worker process's memory. The symbols are
 * registered first, as an operator registers an outside feed (unknown symbols are dead-lettered by
 * default); the worker keeps STREAM_MAX_CACHED_SYMBOLS of them in memory, so BENCH_SYMBOLS above it
 * measures eviction and rebuilding from PostgreSQL.
 */
export async function benchStream(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  const { access: database } = await ensureProductPostgres(env);
  const broker = await ensureKafka(env);
  const logger = createLogger("bench", "warn");
  const run = Date.now().toString(36);
  const dbName = `bench_${run}`;
  const url = await createScratchDatabase(database.adminUrl, dbName);
  const topics = { ticks: `bench.${run}.ticks`, kpis: `bench.${run}.kpis`, ticksDlq: `bench.${run}.dlq` };
  const groupId = `bench-${run}`;
  await createPipelineTopics(broker.admin, topics, 3, {
    credentials: broker.credentials,
    groups: getProcessGroups(groupId),
  });
  const kafka = createKafkaClient({ ...broker.admin, clientId: "bench", logger });

  const start = Date.parse("2026-03-16T13:30:00Z");
  const ticks: TickV1[] = [];
  for (let s = 0; s < SYMBOLS; s++) {
    const symbol = `SYN${s}`;
    const walk = createSyntheticWalk(7, symbol);
    for (let m = 0; m < BARS_PER_SYMBOL; m++)
      ticks.push({
        v: 1,
        symbol,
        source: "synthetic",
        producedAt: start,
        ...walk.barAt(m),
        ts: start + m * 60_000,
      });
  }
  ticks.sort((a, b) => a.ts - b.ts);
  const db = createDb(url, { max: 4 });
  await insertSymbols(
    db,
    Array.from({ length: SYMBOLS }, (_, s) => ({ symbol: `SYN${s}`, source: "external" as const })),
  );
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  let t0 = performance.now();
  await sendJsonBatch(
    producer,
    topics.ticks,
    tickV1Schema,
    ticks.map((t) => ({ key: t.symbol, value: t })),
  );
  const produceMs = performance.now() - t0;
  await producer.disconnect();

  const rssBefore = process.memoryUsage().rss;
  t0 = performance.now();
  const worker = await startStreamWorker({
    db,
    kafka: createKafkaClient({
      ...connectAs(broker.admin, broker.credentials, "stream"),
      clientId: "bench-stream",
      logger,
    }),
    logger,
    topics,
    groupId,
    windows: [5, 15, 60],
    finalGraceSeconds: 30,
    defaultTimeZone: "America/New_York",
    symbolPolicy: { unknownSymbols: env.UNKNOWN_SYMBOLS, maxRegisteredSymbols: env.MAX_REGISTERED_SYMBOLS },
    maxCachedSymbols: env.STREAM_MAX_CACHED_SYMBOLS,
    rawTicksRetentionHours: 48,
    housekeepingMs: 0,
  });
  let peakRss = rssBefore;
  for (;;) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const { rows } = await db.$client.query<{ n: string }>(
      "select coalesce(sum(next_offset), 0) as n from stream_offsets",
    );
    if (Number(rows[0]?.n) >= ticks.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const processMs = performance.now() - t0;
  const metrics = worker.metrics();
  await worker.stop();
  await closeDb(db);
  await dropScratchDatabase(database.adminUrl, dbName);
  await deleteTopics(kafka, Object.values(topics));

  console.log(`\nstream benchmark: ${SYMBOLS} symbols × ${BARS_PER_SYMBOL} bars = ${ticks.length} events`);
  console.log(
    `  produce (batched, idempotent):  ${Math.round(ticks.length / (produceMs / 1000))} events/s (${Math.round(produceMs)} ms)`,
  );
  console.log(
    `  consume → KPIs → PostgreSQL:    ${Math.round(ticks.length / (processMs / 1000))} events/s (${Math.round(processMs)} ms, ${metrics.batches} batches, incl. group join)`,
  );
  console.log(
    `  rows written per event:         fact_prices + daily_stats + 3 windows + raw_ticks, one transaction per batch`,
  );
  console.log(
    `  memory: rss ${Math.round(rssBefore / 1e6)} MB before, peak ${Math.round(peakRss / 1e6)} MB (${metrics.cachedSymbols} symbols cached, at most ${env.STREAM_MAX_CACHED_SYMBOLS})`,
  );
}
