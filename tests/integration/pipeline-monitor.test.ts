import { spawn, type ChildProcess } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { HealthReport } from "@/lib/events/api-health";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import { checkHealth } from "@/lib/health/check-health";
import { createPipelineMonitor, type PipelineMonitor } from "@/lib/health/pipeline-monitor";
import { createAdmin, createConsumer, createProducer, type Producer } from "@/lib/kafka/client";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { sendJsonBatch } from "@/lib/kafka/messages";

import {
  createTestDatabase,
  createTestKafka,
  createTestGroupId,
  createTestTopics,
  getTestKafkaConnection,
  getTestStreamWorkerEnv,
  registerTestSymbols,
  testLogger,
  uniqueId,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "MSFT", "NVDA", "QQQ", "SPY", "TSLA"];
const HEARTBEAT_SECONDS = 2;

describe("pipeline monitor and /api/health against a stream worker that is killed with SIGKILL", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let producer: Producer;
  let monitor: PipelineMonitor;
  let child: ChildProcess | null = null;
  let isProducing = true;
  let producing: Promise<void> = Promise.resolve();
  const groupId = createTestGroupId("stream");
  // Every recorded day (about 24,000 events): a backlog that takes the worker more than one monitor
  // sample to drain on any machine, so that "lag with progress" is observed and not raced past.
  const ticks = getRecordedTicks(SYMBOLS, [
    "2026-03-12",
    "2026-03-13",
    "2026-03-16",
    "2026-03-17",
    "2026-03-18",
    "2026-03-19",
    "2026-03-20",
  ]);

  const startWorker = () => {
    child = spawn(process.execPath, ["--import", "tsx", "workers/stream.ts"], {
      env: getTestStreamWorkerEnv(database, topics, groupId, {
        HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
      }),
      stdio: ["ignore", "ignore", "inherit"],
    });
  };

  const health = (): Promise<HealthReport> =>
    checkHealth({
      db: database.db,
      kafka: getTestKafkaConnection("web"),
      topics: [topics.ticks, topics.kpis, topics.ticksDlq],
      heartbeatSeconds: HEARTBEAT_SECONDS,
      expectedWorkers: ["stream"],
      realtime: null,
      pipeline: monitor.getSnapshot(),
      now: Date.now(),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await registerTestSymbols(database.db, SYMBOLS);
    producer = createProducer(createTestKafka(uniqueId("producer"), "ingest"), { idempotent: true });
    await producer.connect();
    // A backlog, so that the worker starts behind, then a steady trickle of revisions for as long as
    // the test runs: a stopped worker then leaves lag that does not move.
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      ticks.map((t) => ({ key: t.symbol, value: t })),
    );
    producing = (async () => {
      for (let i = 0; isProducing; i += 20) {
        const slice = ticks.slice(i % ticks.length, (i % ticks.length) + 20);
        await sendJsonBatch(
          producer,
          topics.ticks,
          tickV1Schema,
          slice.map((t) => ({ key: t.symbol, value: t })),
        );
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const monitorKafka = createTestKafka(uniqueId("monitor"), "web");
    monitor = createPipelineMonitor({
      db: database.db,
      // The monitor runs in the web process, as the web user.
      admin: createAdmin(monitorKafka),
      deadLetterConsumer: createConsumer(monitorKafka, { groupId: createTestGroupId("web") }),
      clock: Date.now,
      logger: testLogger,
      topics,
      groupId,
      defaultSource: "replay",
      heartbeatSeconds: HEARTBEAT_SECONDS,
      expectedWorkers: ["stream"],
      sampleMs: 500,
    });
    monitor.start();
  });

  afterAll(async () => {
    isProducing = false;
    child?.kill("SIGKILL");
    await producing.catch(() => undefined);
    await monitor?.stop();
    await producer?.disconnect();
    await database?.drop();
  });

  it("is ok while the worker catches up, degraded within 10 s of kill -9 with the reason, ok again once a worker resumes", async () => {
    startWorker();
    // Lag with progress is a healthy pipeline catching up, not a stall.
    const catchingUp = await waitFor(
      "a sample with lag and progress, and health ok",
      async () => {
        const snapshot = monitor.getSnapshot();
        const report = await health();
        const moving = snapshot?.partitions.some((p) => p.lag > 0 && p.hasProgressed);
        return snapshot && moving && report.status === "ok" ? { snapshot, report } : null;
      },
      60_000,
      250,
    );
    expect(catchingUp.report.problems).toEqual([]);
    expect(catchingUp.snapshot.throughput.applied).toBeGreaterThan(0);
    expect(catchingUp.snapshot.throughput.produced).toBeGreaterThan(0);
    expect(catchingUp.snapshot.workers.filter((w) => w.kind === "stream" && !w.isStale)).toHaveLength(1);

    // The worker writes no cleanup: its heartbeat row and group membership stay behind.
    child!.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    const killedAt = Date.now();
    const degraded = await waitFor(
      "health to say degraded with a stalled partition and a silent worker",
      async () => {
        const report = await health();
        const checks = new Set(report.problems.map((p) => p.check));
        return report.status === "degraded" && checks.has("partition") && checks.has("worker")
          ? report
          : null;
      },
      15_000,
      250,
    );
    expect(Date.now() - killedAt).toBeLessThanOrEqual(10_000);
    const stalled = degraded.problems.find((p) => p.check === "partition")!;
    expect(stalled.message).toMatch(
      new RegExp(`^Partition \\d of ${topics.ticks.replace(/\./g, "\\.")} has [\\d,]+ unapplied events? and`),
    );
    expect(degraded.summary).toContain(stalled.message);
    expect(degraded.problems.find((p) => p.check === "worker")?.message).toMatch(
      /^The stream worker is not running: its last heartbeat is \d+ s old/,
    );
    const stalledSnapshot: OpsSnapshot = monitor.getSnapshot()!;
    expect(stalledSnapshot.status).toBe("degraded");
    expect(stalledSnapshot.partitions.some((p) => p.isStalled && p.lag > 0)).toBe(true);

    startWorker();
    const recovered = await waitFor(
      "health back to ok once a new worker makes progress",
      async () => {
        const report = await health();
        return report.status === "ok" ? report : null;
      },
      60_000,
      250,
    );
    expect(recovered.problems).toEqual([]);
    expect(monitor.getSnapshot()?.partitions.every((p) => !p.isStalled)).toBe(true);
  });

  it("counts dead letters by reason and keeps the last reasons", async () => {
    // The monitor reads the DLQ from its end: keep sending one poison event until it has seen one.
    const seen = await waitFor(
      "a dead letter with its reason",
      async () => {
        await producer.send({ topic: topics.ticks, messages: [{ key: "AAPL", value: "{not json" }] });
        const snapshot = await monitor.sampleNow();
        // A letter can arrive between a sample's offset read and its reading of the letters seen.
        return snapshot.deadLetters.recent.length > 0 && (snapshot.deadLetters.total ?? 0) > 0
          ? snapshot
          : null;
      },
      60_000,
      2_000,
    );
    expect(seen.deadLetters.recent[0]?.reason).toMatch(/^not JSON/);
    expect(seen.deadLetters.recent[0]?.reasonClass).toBe("not_json");
    expect(seen.deadLetters.recent[0]?.key).toBe("AAPL");
    expect(seen.deadLetters.byReason.not_json).toBeGreaterThanOrEqual(1);
    expect(seen.deadLetters.total).toBeGreaterThanOrEqual(1);
  });
});
