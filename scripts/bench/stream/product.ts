import path from "node:path";

import type { Env } from "@/lib/env";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { createAdmin, type Admin, type KafkaClient } from "@/lib/kafka/client";
import { deleteConsumerGroups } from "@/lib/kafka/consumer-groups";
import type { Logger } from "@/lib/log";
import { pollUntil } from "@/lib/retry";
import type { KafkaHandle } from "@/scripts/stack/kafka";
import { getKafkaRoleEnv } from "@/scripts/stack/kafka-credentials";
import { findFreePort } from "@/scripts/stack/ports";
import {
  createPipelineTopics,
  createScratchDatabase,
  deleteTopics,
  dropScratchDatabase,
  getProcessGroups,
} from "@/scripts/stack/scratch";
import { E2E_DIR, spawnProductProcess, stopProcess } from "@/tests/e2e/stack";
import { isAlive } from "@/scripts/stack/proc";

import { parseHistogram, type HistogramBucket } from "./histogram";
import {
  readMachineCpu,
  readServerCpu,
  watchProcesses,
  type MachineCpu,
  type ProcessUsage,
  type ServerCpu,
} from "./process-usage";
import { STREAM_WORKER_NODE_FLAGS } from "@/workers/stream/node-flags";

export const PARTITIONS = 3;
const LATENCY_HISTOGRAM = "tickstream_stream_produced_to_committed_seconds";

/** What every run shares: the configured servers, the admin's Kafka client, and the cleanup list. */
export type BenchBase = {
  env: Env;
  adminDatabaseUrl: string;
  broker: KafkaHandle;
  kafka: KafkaClient;
  logger: Logger;
  /** Registers an undo step that also runs on Ctrl-C; returns a function that runs it now, once. */
  defer: (step: () => Promise<void>) => () => Promise<void>;
  /**
   * Where the stream workers write their CPU profiles (node --cpu-prof, one folder per run; the web
   * server's in its `web` subfolder), or null.
   */
  profileDir: string | null;
};

/** A product of its own for one run: a fresh migrated database and fresh topics (3 partitions). */
export type Product = {
  name: string;
  databaseUrl: string;
  db: Db;
  admin: Admin;
  topics: { ticks: string; kpis: string; ticksDlq: string };
  groupId: string;
  dispose: () => Promise<void>;
};

export async function createProduct(
  base: BenchBase,
  name: string,
  symbols: readonly string[],
): Promise<Product> {
  const dbName = `bench_${name}`.replace(/[^a-z0-9_]/g, "_");
  const topics = { ticks: `bench.${name}.ticks`, kpis: `bench.${name}.kpis`, ticksDlq: `bench.${name}.dlq` };
  const groupId = `bench-${name}`;
  const dropDatabase = base.defer(() => dropScratchDatabase(base.adminDatabaseUrl, dbName));
  const databaseUrl = await createScratchDatabase(base.adminDatabaseUrl, dbName);
  const removeTopics = base.defer(async () => {
    await deleteTopics(base.kafka, Object.values(topics));
    // The stream workers' group and ConsumerPerformance's (kafkajs's ceiling removes its own); best
    // effort like the topics: a group left behind only costs the broker a little memory until it expires.
    await deleteConsumerGroups(base.kafka, [groupId, `${groupId}-ceiling-java`], base.logger).catch(
      () => undefined,
    );
  });
  await createPipelineTopics(base.broker.admin, topics, PARTITIONS, {
    credentials: base.broker.credentials,
    groups: getProcessGroups(groupId),
  });
  const db = createDb(databaseUrl, { max: 2 });
  const closeDatabase = base.defer(() => closeDb(db));
  // Registered first, as an operator registers an outside feed: unknown symbols are dead-lettered.
  for (let i = 0; i < symbols.length; i += 2_000)
    await insertSymbols(
      db,
      symbols.slice(i, i + 2_000).map((symbol) => ({ symbol, source: "external" as const })),
    );
  const admin = createAdmin(base.kafka);
  await admin.connect();
  const disconnect = base.defer(() => admin.disconnect());
  return {
    name,
    databaseUrl,
    db,
    admin,
    topics,
    groupId,
    dispose: async () => {
      await disconnect();
      await closeDatabase();
      await removeTopics();
      await dropDatabase();
    },
  };
}

/** One spawned product process and where its figures come from. */
export type ProductProcess = { name: string; pid: number; metricsUrl: string | null };

/** The built stream workers and web server of a product, each a process of its own as `npm start` runs them. */
export type Running = {
  workers: ProductProcess[];
  web: ProductProcess;
  webUrl: string;
  /** When the stream workers were spawned (the web server was up and answering by then). */
  startedAt: number;
  /** The web server's CPU seconds and the servers' (PostgreSQL, broker) just before the workers started. */
  atWorkersStart: { webCpuSeconds: number; servers: ServerCpu; machine: MachineCpu };
  usage: (process: ProductProcess) => ProcessUsage | null;
  stop: () => Promise<void>;
};

/**
 * NODE_OPTIONS of the stream workers: BENCH_STREAM_NODE_OPTIONS (V8 flags to try, e.g. a heap limit,
 * without a rebuild) and the CPU profiler when profiling; none otherwise.
 */
function workerNodeOptions(profileDir: string | null): { NODE_OPTIONS?: string } {
  const flags = [
    process.env.BENCH_STREAM_NODE_OPTIONS ?? "",
    profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : "",
  ]
    .join(" ")
    .trim();
  return flags ? { NODE_OPTIONS: flags } : {};
}

/**
 * The stream workers' V8 flags: the product's (STREAM_WORKER_NODE_FLAGS, as `npm start` passes them),
 * or BENCH_STREAM_WORKER_FLAGS instead when set ("" for none), to measure what they trade.
 */
function workerNodeFlags(): readonly string[] {
  const replaced = process.env.BENCH_STREAM_WORKER_FLAGS;
  return replaced === undefined ? STREAM_WORKER_NODE_FLAGS : replaced.split(/\s+/).filter(Boolean);
}

export async function startProcesses(
  base: BenchBase,
  product: Product,
  workerCount: number,
): Promise<Running> {
  const common = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    // BENCH_LOG_LEVEL=debug logs kafkajs's requests too (joins, heartbeats), for a timeline of a run.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    DATABASE_URL: product.databaseUrl,
    // The scratch database is the configured server's (its owner's): the benchmark measures speed, not
    // privileges, so a too-powerful role is only logged.
    DATABASE_PRIVILEGE_CHECK: "warn",
    TOPIC_TICKS: product.topics.ticks,
    TOPIC_KPIS: product.topics.kpis,
    TOPIC_TICKS_DLQ: product.topics.ticksDlq,
    STREAM_GROUP_ID: product.groupId,
    HOST: "127.0.0.1",
    METRICS_HOST: "127.0.0.1",
  };
  const watcher = watchProcesses(500);
  const spawned: ProductProcess[] = [];
  const stopAll = base.defer(async () => {
    watcher.stop();
    await Promise.all(spawned.map((p) => stopProcess(p.pid)));
  });
  // The web server first, answering before any stream worker starts: a backlog drains into a product
  // that is up, as after a worker outage. Started together, the web server's start-up (Next.js, ≈ 3 CPU
  // s) shared the two cores with the first seconds of the drain.
  const webPort = await findFreePort();
  const webPid = spawnProductProcess("bench-web", "dist/server.js", {
    ...common,
    ...(base.profileDir
      ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(base.profileDir, product.name, "web")}` }
      : {}),
    PORT: String(webPort),
    STREAM_METRICS_PORT: "0",
    ...getKafkaRoleEnv(base.broker.credentials, "web"),
  });
  const web = { name: "bench-web", pid: webPid, metricsUrl: null };
  spawned.push(web);
  watcher.add(webPid);
  await pollUntil(
    async () => {
      assertAllAlive({ workers: [], web });
      return (await fetch(`http://127.0.0.1:${webPort}/api/health`)).status > 0;
    },
    {
      timeoutMs: 120_000,
      intervalMs: 250,
      what: "the web server to answer",
      isRetriable: isRetriableUnlessExited,
    },
  );
  // The drain's CPU counts from here: the web server's start-up is not the workers' work.
  const atWorkersStart = {
    webCpuSeconds: watcher.read(webPid)?.cpuSeconds ?? 0,
    servers: readServerCpu(),
    machine: readMachineCpu(),
  };
  const startedAt = Date.now();
  for (let i = 1; i <= workerCount; i++) {
    const port = await findFreePort();
    const name = `bench-stream-${i}`;
    const pid = spawnProductProcess(
      name,
      "dist/workers/stream.js",
      {
        ...common,
        // Written when the worker exits (its SIGTERM handler ends in process.exit).
        ...workerNodeOptions(base.profileDir && path.join(base.profileDir, product.name)),
        STREAM_METRICS_PORT: String(port),
        ...getKafkaRoleEnv(base.broker.credentials, "stream"),
      },
      workerNodeFlags(),
    );
    spawned.push({ name, pid, metricsUrl: `http://127.0.0.1:${port}/metrics` });
    watcher.add(pid);
  }
  return {
    workers: spawned.filter((p) => p.metricsUrl !== null),
    web,
    webUrl: `http://127.0.0.1:${webPort}`,
    startedAt,
    atWorkersStart,
    usage: (p) => watcher.read(p.pid),
    stop: stopAll,
  };
}

export async function scrapeMetrics(process: ProductProcess): Promise<string> {
  const response = await fetch(process.metricsUrl!, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${process.metricsUrl} answered ${response.status}`);
  return response.text();
}

/** Sum of a counter or gauge over its label sets (`skip`: label values whose lines are left out). */
export function sumSeries(text: string, name: string, skip: readonly string[] = []): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || (line[name.length] !== "{" && line[name.length] !== " ")) continue;
    if (skip.some((s) => line.includes(`"${s}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** What the stream workers' /metrics say together at one moment. */
export type WorkerFigures = {
  applied: number;
  /** Events fetched again after a rebalance and skipped as already applied by another member. */
  skippedEvents: number;
  rows: number;
  assigned: number;
  latency: HistogramBucket[][];
};

export async function readWorkerFigures(running: Running): Promise<WorkerFigures> {
  const texts = await Promise.all(running.workers.map(scrapeMetrics));
  return {
    applied: texts.reduce((n, t) => n + sumSeries(t, "tickstream_stream_events_applied_total"), 0),
    skippedEvents: texts.reduce((n, t) => n + sumSeries(t, "tickstream_stream_events_skipped_total"), 0),
    rows: texts.reduce(
      (n, t) => n + sumSeries(t, "tickstream_stream_rows_written_total", ["stream_offsets"]),
      0,
    ),
    assigned: texts.reduce((n, t) => n + sumSeries(t, "tickstream_stream_assigned_partitions"), 0),
    latency: texts.map((t) => parseHistogram(t, LATENCY_HISTOGRAM)),
  };
}

/** A product process ended during a run (a bad flag, a failed start, a crash). */
export class ProductProcessExited extends Error {}

/** A poll over a running product retries anything but a process gone (it will not come back). */
export const isRetriableUnlessExited = (error: unknown): boolean => !(error instanceof ProductProcessExited);

/** Throws {@link ProductProcessExited} when a worker or the web server is gone: the run cannot go on. */
export function assertAllAlive(running: Pick<Running, "workers" | "web">): void {
  for (const p of [...running.workers, running.web]) {
    if (!isAlive(p.pid))
      throw new ProductProcessExited(
        `${p.name} (pid ${p.pid}) exited; its log: ${path.join(E2E_DIR, `${p.name}.log`)}`,
      );
  }
}

/**
 * Waits until the workers hold every partition between them (the web server answered before they
 * started); fails at once when a process has exited instead of waiting out the timeout.
 */
export async function waitUntilReady(running: Running, timeoutMs = 120_000): Promise<void> {
  await pollUntil(
    async () => {
      assertAllAlive(running);
      return (await readWorkerFigures(running)).assigned === PARTITIONS;
    },
    {
      timeoutMs,
      intervalMs: 250,
      what: "the stream workers to hold every partition",
      isRetriable: isRetriableUnlessExited,
    },
  );
}

/** Events stored (offsets committed with their rows) and events on the topic, for the lag. */
export async function readProgress(product: Product): Promise<{ committed: number; produced: number }> {
  const [{ rows }, offsets] = await Promise.all([
    product.db.$client.query<{ n: string }>(
      "select coalesce(sum(next_offset), 0) as n from stream_offsets where topic = $1",
      [product.topics.ticks],
    ),
    product.admin.fetchTopicOffsets(product.topics.ticks),
  ]);
  return {
    committed: Number(rows[0]?.n ?? 0),
    produced: offsets.reduce((n, o) => n + Number(o.high), 0),
  };
}
