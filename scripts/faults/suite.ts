import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";

import { closeDb, createDb } from "@/lib/db/client";
import { deadLetterReasonClassSchema } from "@/lib/events/dead-letter";
import { DEFAULT_TOPICS } from "@/lib/events/topics";
import { getEnv } from "@/lib/env";
import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import { createRandom } from "@/lib/ingest/synthetic/walk";
import {
  createAdmin,
  createKafkaClient,
  createProducer,
  type KafkaClient,
  type Producer,
} from "@/lib/kafka/client";
import { sendTextBatch } from "@/lib/kafka/messages";
import { createLogger, describeError } from "@/lib/log";
import { ensureKafka, getKafkaAccess, stopLocalKafka } from "@/scripts/stack/kafka";
import { ensurePostgres, getClusterDir, stopPrivatePostgres } from "@/scripts/stack/postgres";
import { isAlive, readPid } from "@/scripts/stack/proc";
import { readTopicToEnd } from "@/tests/integration/support/read-topic";
import { diffAgainstReference } from "@/tests/integration/support/tables";

import { checkDeadLetters } from "./dead-letters";
import {
  BAD_CATEGORIES,
  buildBadEvents,
  buildGoodEvents,
  buildUnknownSymbolFlood,
  interleave,
  renameRecordedBars,
  shuffle,
  type OutEvent,
} from "./events";
import { listProductProcesses, sampleMemory, type ProductProcess } from "./processes";
import { formatTable } from "./table";

const BAD_PER_CATEGORY = 1_000;
const FLOOD_EVENTS = 20_000;
const FLOOD_SYMBOLS = 10_000;
const OUTAGE_MS = 15_000;
const RECOVERY_TIMEOUT_MS = 180_000;
/** Produce pace: the data set spans the fault schedule, so that faults hit a pipeline at work. */
const SLICE = 100;
const SLICE_EVERY_MS = 400;
/**
 * Resident memory bound of each process, sampled every 0.5 s through the whole run. Observed on
 * 2026-11-30 (Node 24): the stream worker 267–362 MB with unknown symbols refused and its cache bounded
 * (the spread is the garbage collector's; 388 MB when the flood's 10,000 symbols were still registered
 * and cached), the web process 286–396 MB,
 * the ingest worker 282–392 MB while following one symbol (more than it should: not yet explained, so
 * its bound leaves room rather than fail on it). The audit of issue 12 saw the stream worker at 509 MB
 * and the web process at 650 MB once 50,000 flooded symbols sat in their caches: a cache that grows with
 * the flood breaches these bounds.
 */
const MEMORY_BOUND_MB: Record<ProductProcess["role"], number> = { stream: 450, ingest: 500, web: 600 };
const WINDOWS = [5, 15, 60];
const GROUP = "tickstream-stream";
const TOPIC = DEFAULT_TOPICS.ticks;
const PROBE_SYMBOLS = ["PRB-0", "PRB-1", "PRB-2"];

export type FaultRow = {
  fault: string;
  atS: number;
  outageS: number | null;
  recoveryS: number | null;
  note: string;
};

type Options = { root: string; dataDir: string; productEnv: Record<string, string> };

const log = (message: string) => process.stdout.write(`[faults] ${message}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The run's whole story: start, feed, faults, drain, checks, stop. Returns the exit code. */
export async function runFaultSuite(options: Options): Promise<number> {
  const { root, dataDir, productEnv } = options;
  const startedAt = Date.now();
  const since = () => seconds(Date.now() - startedAt);
  rmSync(path.join(root, SUMMARY_FILE), { force: true });
  await cleanLeftovers(dataDir);

  // ── The input ────────────────────────────────────────────────────────────────────────────────────
  const random = createRandom(20261130);
  const truth = renameRecordedBars(loadRecordedBars(path.join(root, "data/minute-bars")));
  const dataSymbols = [...new Set(truth.map((b) => b.symbol))].sort();
  const good = buildGoodEvents(truth, random);
  const now = Date.now();
  const bad = BAD_CATEGORIES.flatMap((c) => buildBadEvents(c, BAD_PER_CATEGORY, dataSymbols, now));
  const flood = buildUnknownSymbolFlood(FLOOD_EVENTS, FLOOD_SYMBOLS, now);
  // Once the stream worker dead-letters unregistered symbols (issue 12's default), the flood is bad too.
  const floodClass = (deadLetterReasonClassSchema.options as readonly string[]).includes("unknown_symbol")
    ? "unknown_symbol"
    : null;
  const expectedClass = new Map<string, string>(bad.map((b) => [b.value, b.expectedClass]));
  if (floodClass) for (const f of flood) expectedClass.set(f.value, floodClass);
  const feed: OutEvent[] = interleave(good, shuffle([...bad, ...flood], random), random);
  log(
    `input: ${good.length} good events (${truth.length} recorded bars of ${dataSymbols.length} symbols, with revisions, duplicates and late bars), ` +
      `${bad.length} malformed (${BAD_CATEGORIES.length} categories × ${BAD_PER_CATEGORY}), ${flood.length} events for ${FLOOD_SYMBOLS} unregistered symbols` +
      `${floodClass ? " (dead-lettered)" : " (registered as external by this worker)"}`,
  );

  // ── The product, as npm start runs it ────────────────────────────────────────────────────────────
  const product = startProduct(root, dataDir, productEnv);
  let pool: pg.Pool | null = null;
  let memory: ReturnType<typeof sampleMemory> | null = null;
  // The broker and its users exist once the product is up: the suite connects as the stack's admin.
  let kafkaClient: KafkaClient | null = null;
  const getKafka = (): KafkaClient =>
    (kafkaClient ??= createKafkaClient({
      ...getKafkaAccess(getEnv()).admin,
      clientId: "faults-suite",
      logger: createLogger("faults", "silent"),
      retries: 5,
    }));
  const onSignal = () => void product.stop().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const supervisorPid = await product.waitUntilRunning();
    log(`npm start is running (supervisor pid ${supervisorPid}, ${since()} s)`);
    pool = new pg.Pool({ connectionString: productEnv.DATABASE_URL, max: 3 });
    // Clients die with the PostgreSQL outage: the query in flight rejects and is retried by its poll
    // (pg-pool leaves a checked-out client without an error listener, see lib/db/client.ts).
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
    const db = pool;
    await db.query(
      `insert into symbols (symbol, source, status, exchange_timezone) select unnest($1::text[]), 'external', 'active', 'America/New_York'
       on conflict (symbol) do update set source = 'external', status = 'active'`,
      [[...dataSymbols, ...PROBE_SYMBOLS]],
    );
    memory = sampleMemory(() => product.supervisorPid);

    // ── The feed, in the background ────────────────────────────────────────────────────────────────
    let producer = await connectProducer(getKafka());
    let sent = 0;
    const feedDone = (async () => {
      for (let i = 0; i < feed.length; i += SLICE) {
        const slice = feed.slice(i, i + SLICE);
        for (;;) {
          try {
            await sendTextBatch(producer, TOPIC, slice);
            break;
          } catch (error) {
            // Kafka is away: the same slice again, in order, once it is back (duplicates are read back).
            log(`feed: send failed (${describeError(error)}); retrying the slice`);
            await producer.disconnect().catch(() => undefined);
            await sleep(1_000);
            producer = await connectProducer(getKafka()).catch(() => producer);
          }
        }
        sent += slice.length;
        await sleep(SLICE_EVERY_MS);
      }
    })();

    // ── Faults ─────────────────────────────────────────────────────────────────────────────────────
    const rows: FaultRow[] = [];
    let probeCount = 0;
    const probe = async (from: number) => {
      const offsets = await sendProbes(getKafka(), probeCount++);
      return waitForOffsets(db, offsets, from);
    };
    const record = (row: FaultRow) => {
      rows.push(row);
      log(
        `${row.fault}: outage ${row.outageS ?? "-"} s, recovery ${row.recoveryS ?? "none"} s ${row.note} (fed ${sent}/${feed.length})`,
      );
    };
    const baseline = Date.now();
    record({
      fault: "none (baseline: a probe through the pipeline)",
      atS: since(),
      outageS: null,
      recoveryS: seconds((await probe(baseline)) - baseline),
      note: "",
    });

    const killWorker = async (role: "stream" | "ingest", n: number) => {
      await sleep(3_000);
      const victim = listProductProcesses(product.supervisorPid!).find((p) => p.role === role);
      if (!victim) throw new Error(`no ${role} worker to kill`);
      const at = Date.now();
      process.kill(victim.pid, "SIGKILL");
      const atS = since();
      if (role === "stream") {
        const restart = waitForNewWorker(product.supervisorPid!, role, victim.pid, at);
        const applied = await probe(at);
        const restarted = await restart;
        record({
          fault: `kill -9 stream worker (${n})`,
          atS,
          outageS: null,
          recoveryS: seconds(applied - at),
          note: `new worker after ${seconds(restarted - at)} s`,
        });
      } else {
        const beat = await waitForIngestHeartbeat(db, product.supervisorPid!, victim.pid, at);
        record({
          fault: `kill -9 ingest worker (${n})`,
          atS,
          outageS: null,
          recoveryS: seconds(beat - at),
          note: "time to the new worker's first heartbeat",
        });
      }
    };

    const stopKafka = async () => {
      await sleep(3_000);
      const pid = readPid("kafka");
      if (!pid) throw new Error("the private Kafka broker is not running");
      const at = Date.now();
      process.kill(pid, "SIGKILL");
      await waitUntil(() => !isAlive(pid), 30_000, "the broker to die");
      await sleep(Math.max(0, at + OUTAGE_MS - Date.now()));
      await ensureKafka(getEnv());
      const up = Date.now();
      const applied = await probe(up);
      record({
        fault: "Kafka broker killed (kill -9), restarted after 15 s",
        atS: seconds(at - startedAt),
        outageS: seconds(up - at),
        recoveryS: seconds(applied - up),
        note: `${seconds(applied - at)} s from the kill`,
      });
    };

    const stopPostgres = async () => {
      await sleep(3_000);
      const at = Date.now();
      stopPrivatePostgres();
      await sleep(Math.max(0, at + OUTAGE_MS - Date.now()));
      await ensurePostgres(productEnv.DATABASE_URL!);
      const up = Date.now();
      const applied = await probe(up);
      record({
        fault: "PostgreSQL stopped (pg_ctl stop -m fast), started after 15 s",
        atS: seconds(at - startedAt),
        outageS: seconds(up - at),
        recoveryS: seconds(applied - up),
        note: `${seconds(applied - at)} s from the stop`,
      });
    };

    await killWorker("stream", 1);
    await killWorker("ingest", 1);
    await killWorker("stream", 2);
    await stopKafka();
    await killWorker("stream", 3);
    await stopPostgres();
    await killWorker("stream", 4);
    await killWorker("ingest", 2);
    await killWorker("stream", 5);

    await feedDone;
    log(`feed complete: ${feed.length} events (${since()} s); waiting for the stream worker to catch up`);
    const drained = await waitForDrain(getKafka(), db);
    log(`drained: lag 0 on every partition (${since()} s)`);
    memory.stop();

    // ── Checks ─────────────────────────────────────────────────────────────────────────────────────
    const drizzle = createDb(productEnv.DATABASE_URL!, { max: 2 });
    let tableProblems: string[];
    try {
      tableProblems = await diffAgainstReference(drizzle, truth, WINDOWS, dataSymbols);
    } finally {
      await closeDb(drizzle);
    }
    const ticks = await readTopicToEnd(getKafka(), TOPIC, 120_000);
    const letters = await readTopicToEnd(getKafka(), DEFAULT_TOPICS.ticksDlq, 120_000);
    const dlq = checkDeadLetters(TOPIC, ticks, letters, expectedClass);
    const overBound = [...memory.peaks].filter(([role, rss]) => rss > MEMORY_BOUND_MB[role] * 1024 * 1024);

    const counts = await db.query<{ facts: string; days: string; windows: string }>(
      `select (select count(*) from fact_prices where symbol = any($1)) as facts,
              (select count(*) from daily_stats where symbol = any($1)) as days,
              (select count(*) from kpi_snapshots where symbol = any($1)) as windows`,
      [dataSymbols],
    );
    const c = counts.rows[0]!;
    process.stdout.write(
      `\n${formatTable({
        rows,
        tables: {
          facts: Number(c.facts),
          days: Number(c.days),
          windows: Number(c.windows),
          problems: tableProblems,
        },
        dlq,
        memory: [...memory.peaks].map(([role, rss]) => ({
          role,
          peakMb: rss / 1024 / 1024,
          boundMb: MEMORY_BOUND_MB[role],
        })),
        drainedAtS: seconds(drained - startedAt),
        ticks: ticks.length,
      })}\n`,
    );
    const failures = [
      ...tableProblems.slice(0, 10).map((p) => `table: ${p}`),
      ...(tableProblems.length > 10 ? [`table: … ${tableProblems.length - 10} more`] : []),
      ...dlq.missing.slice(0, 5).map((at) => `dead letter missing for ${at}`),
      ...dlq.extra.slice(0, 5).map((at) => `dead letter not expected: ${at}`),
      ...dlq.wrongClass.slice(0, 5).map((at) => `dead letter of the wrong class: ${at}`),
      ...(dlq.missing.length + dlq.extra.length + dlq.wrongClass.length > 0
        ? [
            `dead letters: ${dlq.missing.length} missing, ${dlq.extra.length} extra, ${dlq.wrongClass.length} of the wrong class`,
          ]
        : []),
      ...overBound.map(
        ([role, rss]) =>
          `memory: ${role} peaked at ${Math.round(rss / 1048576)} MB, over ${MEMORY_BOUND_MB[role]} MB`,
      ),
    ];
    // One check per line of the differences table (and per fault recovered), for npm test's summary.
    const checks = 1 + dlq.byClass.size + 3 + memory.peaks.size + rows.length;
    const failed = Math.min(
      checks,
      (tableProblems.length > 0 ? 1 : 0) +
        [...dlq.byClass.values()].filter((c) => c.expected !== c.got).length +
        [dlq.missing, dlq.extra, dlq.wrongClass].filter((list) => list.length > 0).length +
        overBound.length,
    );
    writeSummary(root, { passed: checks - failed, failed });
    if (failures.length > 0) {
      process.stdout.write(`FAILED (${failures.length}):\n${failures.map((f) => `  - ${f}`).join("\n")}\n`);
      return 1;
    }
    process.stdout.write(`PASSED in ${since()} s\n`);
    return 0;
  } catch (error) {
    process.stdout.write(`FAILED: ${describeError(error)}\n`);
    writeSummary(root, { passed: 0, failed: 1 });
    return 1;
  } finally {
    memory?.stop();
    await pool?.end().catch(() => undefined);
    await product.stop();
    log(`product stopped (${since()} s); logs in ${path.relative(root, path.join(dataDir, "logs"))}`);
  }
}

/** Where npm test's summary reads the suite's counts (scripts/test-summary.ts). */
const SUMMARY_FILE = "test-results/faults.json";

function writeSummary(root: string, counts: { passed: number; failed: number }): void {
  mkdirSync(path.join(root, "test-results"), { recursive: true });
  writeFileSync(path.join(root, SUMMARY_FILE), JSON.stringify(counts));
}

async function connectProducer(kafka: ReturnType<typeof createKafkaClient>): Promise<Producer> {
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  return producer;
}

/** A run interrupted earlier may have left its broker and cluster running: stopped before a fresh start. */
async function cleanLeftovers(dataDir: string): Promise<void> {
  const record = path.join(dataDir, "run", "start.json");
  if (existsSync(record)) {
    const pid = Number((JSON.parse(readFileSync(record, "utf8")) as { pid?: number }).pid);
    if (pid && isAlive(pid)) {
      process.kill(pid, "SIGTERM");
      await waitUntil(() => !isAlive(pid), 60_000, "the previous run's npm start to stop");
    }
  }
  await stopLocalKafka().catch(() => false);
  // Only a cluster inside this folder is the suite's: run as root in a checkout the `postgres` user
  // cannot enter, the cluster dir is the checkout's shared one outside it (scripts/stack/postgres.ts).
  if (getClusterDir().startsWith(dataDir + path.sep)) {
    try {
      stopPrivatePostgres();
    } catch {
      // Nothing was running.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(path.join(dataDir, "logs"), { recursive: true, mode: 0o755 });
}

/** `npm start` in its own process group, its output in .data/faults/logs/npm-start.log. */
function startProduct(root: string, dataDir: string, env: Record<string, string>) {
  const logPath = path.join(dataDir, "logs", "npm-start.log");
  const fd = openSync(logPath, "a");
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", fd, fd],
    detached: true,
  });
  closeSync(fd);
  let supervisorPid: number | null = null;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const readLog = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");
  return {
    get supervisorPid() {
      return supervisorPid;
    },
    async waitUntilRunning(): Promise<number> {
      // The first start may build the app (several minutes on two cores).
      await waitUntil(
        () => {
          if (child.exitCode !== null)
            throw new Error(`npm start exited:\n${readLog().split("\n").slice(-20).join("\n")}`);
          return /Tickstream is running/.test(readLog());
        },
        15 * 60_000,
        "npm start to say it is running",
      );
      const record = JSON.parse(readFileSync(path.join(dataDir, "run", "start.json"), "utf8")) as {
        pid: number;
      };
      supervisorPid = record.pid;
      return record.pid;
    },
    /** Ctrl-C's path: SIGTERM to the supervisor, which stops everything it started. */
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      if (supervisorPid && isAlive(supervisorPid)) process.kill(supervisorPid, "SIGTERM");
      else if (child.pid) process.kill(-child.pid, "SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), sleep(90_000).then(() => false)]);
      if (!stopped && child.pid) process.kill(-child.pid, "SIGKILL");
    },
  };
}

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return Date.now();
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

/** One valid bar per partition (sent to it explicitly); resolves with the offset each got. */
async function sendProbes(
  kafka: ReturnType<typeof createKafkaClient>,
  n: number,
): Promise<Map<number, number>> {
  const ts = Date.UTC(2021, 0, 4, 15, 0) + n * 60_000;
  for (;;) {
    const producer = createProducer(kafka, { idempotent: true });
    try {
      await producer.connect();
      const result = await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: PROBE_SYMBOLS.map((symbol, partition) => ({
          key: symbol,
          partition,
          value: JSON.stringify({
            v: 1,
            symbol,
            ts,
            open: 10,
            high: 11,
            low: 9,
            close: 10,
            volume: 1,
            source: "replay",
            producedAt: Date.now(),
          }),
        })),
      });
      return new Map(result.map((r) => [r.partition, Number(r.baseOffset)]));
    } catch {
      await sleep(500); // the broker is away; the probe waits for it
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }
}

async function readStoredOffsets(db: pg.Pool): Promise<Map<number, number> | null> {
  try {
    const { rows } = await db.query<{ partition: number; next_offset: string }>(
      "select partition, next_offset from stream_offsets where consumer_group = $1 and topic = $2",
      [GROUP, TOPIC],
    );
    return new Map(rows.map((r) => [r.partition, Number(r.next_offset)]));
  } catch {
    return null; // PostgreSQL is away
  }
}

/** When every partition's stored offset has passed `offsets` (the rows of those events committed). */
async function waitForOffsets(db: pg.Pool, offsets: Map<number, number>, from: number): Promise<number> {
  return waitUntil(
    async () => {
      const stored = await readStoredOffsets(db);
      return stored !== null && [...offsets].every(([p, o]) => (stored.get(p) ?? 0) > o);
    },
    RECOVERY_TIMEOUT_MS - (Date.now() - from),
    "the pipeline to apply the probes",
  );
}

async function waitForNewWorker(supervisorPid: number, role: string, oldPid: number, from: number) {
  return waitUntil(
    () => listProductProcesses(supervisorPid).some((p) => p.role === role && p.pid !== oldPid),
    RECOVERY_TIMEOUT_MS - (Date.now() - from),
    `a new ${role} worker`,
  );
}

async function waitForIngestHeartbeat(db: pg.Pool, supervisorPid: number, oldPid: number, from: number) {
  return waitUntil(
    async () => {
      const fresh = listProductProcesses(supervisorPid).find((p) => p.role === "ingest" && p.pid !== oldPid);
      if (!fresh) return false;
      const { rows } = await db
        .query("select 1 from worker_heartbeats where kind = 'ingest' and pid = $1", [fresh.pid])
        .catch(() => ({ rows: [] }));
      return rows.length > 0;
    },
    RECOVERY_TIMEOUT_MS - (Date.now() - from),
    "the new ingest worker's heartbeat",
  );
}

/** When the stream worker has applied everything on the topic (stored offsets at the end offsets). */
async function waitForDrain(kafka: ReturnType<typeof createKafkaClient>, db: pg.Pool): Promise<number> {
  const admin = createAdmin(kafka);
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(TOPIC)).map((o) => [o.partition, Number(o.high)]));
    return await waitUntil(
      async () => {
        const stored = await readStoredOffsets(db);
        return stored !== null && [...ends].every(([p, end]) => (stored.get(p) ?? 0) >= end);
      },
      RECOVERY_TIMEOUT_MS * 2,
      "lag 0 on every partition",
    );
  } finally {
    await admin.disconnect();
  }
}
