import { spawn, type ChildProcess } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createKafkaClient, createProducer } from "@/lib/kafka/client";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { sendJsonBatch } from "@/lib/kafka/messages";

import {
  createTestDatabase,
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
import { buildTestRules, insertTestRules, listActiveAlerts, toKeys } from "./support/alert-fixtures";
import { computeReferenceAlerts } from "./support/reference-alerts";
import { computeReference } from "./support/reference-kpis";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

// The worker process runs with a set of alert rules and is killed with SIGKILL at random points: at the
// end the KPI tables and the alert events are an uninterrupted run's, nothing lost, nothing doubled.

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "MSFT", "NVDA", "QQQ", "SPY", "TSLA"];
const DATES = ["2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19"];
const WINDOWS = [5, 15, 60];

describe("crash test: kill -9 the stream worker at random points during a replay", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let child: ChildProcess | null = null;
  const ticks = getRecordedTicks(SYMBOLS, DATES);
  const groupId = createTestGroupId("stream");
  const rules = buildTestRules(ticks);

  const startWorker = () => {
    child = spawn(process.execPath, ["--import", "tsx", "workers/stream.ts"], {
      env: getTestStreamWorkerEnv(database, topics, groupId, {
        // Small batches (about 60 events): many points between transactions to be killed at, however
        // fast the worker gets (with 1 MiB batches a partition's whole replay could be one transaction).
        STREAM_FETCH_MAX_BYTES: "16384",
        KPI_WINDOWS: WINDOWS.join(","),
        STREAM_METRICS_PORT: "0",
      }),
      stdio: ["ignore", "ignore", "inherit"],
    });
  };

  const storedBars = async () => {
    const { rows } = await database.db.$client.query<{ n: string }>("select count(*) as n from fact_prices");
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await registerTestSymbols(database.db, SYMBOLS);
    await insertTestRules(database.db, rules);
    const producer = createProducer(
      createKafkaClient({ ...getTestKafkaConnection(), clientId: uniqueId("producer"), logger: testLogger }),
      { idempotent: true },
    );
    await producer.connect();
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      ticks.map((t) => ({ key: t.symbol, value: t })),
    );
    await producer.disconnect();
  });

  afterAll(async () => {
    child?.kill("SIGKILL");
    await database?.drop();
  });

  it("ends with the tables and alert events of an uninterrupted run: nothing missing, nothing duplicated", async () => {
    let kills = 0;
    let lastCount = 0;
    // Kill whenever the worker has made some progress since its last start, after a random delay. Steps
    // small enough that a fast worker (thousands of bars a second) is still killed four times.
    while (kills < 4) {
      startWorker();
      const target = lastCount + 200 + Math.floor(Math.random() * 800);
      await waitFor(
        "progress before the kill",
        async () => (await storedBars()) >= Math.min(target, ticks.length - 1),
        90_000,
        20,
      );
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
      lastCount = await storedBars();
      if (lastCount >= ticks.length) break;
      child!.kill("SIGKILL");
      await new Promise((resolve) => child!.once("exit", resolve));
      kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    if (child?.exitCode !== null || child.signalCode !== null) startWorker();
    await waitFor(
      "every bar stored after the restarts",
      async () => (await storedBars()) === ticks.length,
      120_000,
    );
    await waitFor(
      "every offset stored",
      async () => {
        const { rows } = await database.db.$client.query<{ total: string }>(
          "select sum(next_offset) as total from stream_offsets",
        );
        return Number(rows[0]?.total) === ticks.length;
      },
      30_000,
    );

    expect(await diffAgainstReference(database.db, ticks, WINDOWS)).toEqual([]);
    const { rows: raw } = await database.db.$client.query<{ n: string; distinct_offsets: string }>(
      "select count(*) as n, count(distinct (partition, kafka_offset)) as distinct_offsets from raw_ticks",
    );
    expect(Number(raw[0]?.n)).toBe(ticks.length);
    expect(Number(raw[0]?.distinct_offsets)).toBe(ticks.length);

    const reference = computeReferenceAlerts(computeReference(ticks, WINDOWS).facts, rules);
    expect(reference.length).toBeGreaterThan(200);
    expect(toKeys(await listActiveAlerts(database.db))).toEqual(toKeys(reference));
    const { rows: alerts } = await database.db.$client.query<{ n: string; retracted: string; keys: string }>(
      "select count(*) as n, count(retracted_at) as retracted, count(distinct (rule_id, symbol, bar_ts)) as keys from alert_events",
    );
    expect(alerts[0]).toEqual({
      n: String(reference.length),
      retracted: "0",
      keys: String(reference.length),
    });
    child!.kill("SIGTERM");
  });
});
