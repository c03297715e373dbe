import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";

import { createKafkaClient, createProducer } from "@/lib/kafka/client";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { type StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestGroupId,
  createTestTopics,
  getTestKafkaConnection,
  lockStreamOffsetRows,
  type OffsetRowLock,
  registerTestSymbols,
  runCleanup,
  setUpStreamTest,
  startTestStreamWorker,
  type TestDatabase,
  testLogger,
  uniqueId,
  waitFor,
  waitForLockWaiters,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "MSFT", "NVDA"];
const WINDOWS = [5, 15, 60];

describe("several stream workers in one group", () => {
  const workers: StreamWorker[] = [];
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await Promise.all(workers.map((w) => runCleanup("stopping a stream worker", () => w.stop())));
    await database?.drop();
  });

  it("share the partitions, and rebalances as members join and leave lose and duplicate nothing", async () => {
    database = await createTestDatabase();
    const db = database;
    const topics = await createTestTopics(6);
    await registerTestSymbols(db.db, SYMBOLS);
    const groupId = createTestGroupId("stream");
    const start = () =>
      startTestStreamWorker(db, topics, { groupId, windows: WINDOWS, sessionTimeoutMs: 6_000 });
    const producer = createProducer(
      createKafkaClient({ ...getTestKafkaConnection(), clientId: uniqueId("producer"), logger: testLogger }),
      { idempotent: true },
    );
    await producer.connect();
    const days = ["2026-03-12", "2026-03-13", "2026-03-16"];
    const all = getRecordedTicks(SYMBOLS, days);
    const stored = async () =>
      Number((await db.db.$client.query<{ n: string }>("select count(*) as n from fact_prices")).rows[0]?.n);

    const first = await start();
    workers.push(first);
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      getRecordedTicks(SYMBOLS, [days[0]!]).map((t) => ({ key: t.symbol, value: t })),
    );
    await waitFor("first day processed", async () => (await stored()) > 1_000, 60_000);

    const second = await start(); // joins: the partitions are split between the two
    workers.push(second);
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      getRecordedTicks(SYMBOLS, [days[1]!]).map((t) => ({ key: t.symbol, value: t })),
    );
    await waitFor(
      "both members own partitions",
      () =>
        first.metrics().partitions.length > 0 &&
        second.metrics().partitions.length > 0 &&
        first.metrics().partitions.length + second.metrics().partitions.length === 6,
      60_000,
    );

    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      getRecordedTicks(SYMBOLS, [days[2]!]).map((t) => ({ key: t.symbol, value: t })),
    );
    await first.stop(); // leaves mid-stream: the second takes everything over
    workers.shift();
    await producer.disconnect();

    await waitFor("every bar stored", async () => (await stored()) === all.length, 120_000);
    expect(second.metrics().batches).toBeGreaterThan(0);
    expect(await diffAgainstReference(db.db, all, WINDOWS)).toEqual([]);
    const { rows } = await db.db.$client.query<{ n: string }>("select count(*) as n from raw_ticks");
    expect(Number(rows[0]?.n)).toBe(all.length);
  });
});

describe("a member that joins while the batches it takes over still commit", () => {
  const workers: StreamWorker[] = [];
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await Promise.all(workers.map((w) => runCleanup("stopping a stream worker", () => w.stop())));
    await database?.drop();
  });

  it("starts after their commit (its partition claim waits for them): no batch is fetched twice", async () => {
    database = await createTestDatabase();
    const db = database;
    const { topics, groupId, send, stored, close } = await setUpStreamTest(db, SYMBOLS, 2);
    const ticks = getRecordedTicks(SYMBOLS, ["2026-03-12"]);
    const [first, second, third] = [ticks.slice(0, 600), ticks.slice(600, 1_200), ticks.slice(1_200)];
    let lock: OffsetRowLock | undefined;
    // The joining member's log, at debug: it says how long its claims waited.
    type LogLine = { msg?: string; waitedMs?: number };
    const logged: LogLine[] = [];
    const joiningLogger = pino(
      { level: "debug" },
      { write: (line: string) => void logged.push(JSON.parse(line) as LogLine) },
    );
    try {
      // A long claim wait: a slow machine must not turn into a claim given up, which would look like a
      // regression of the claims.
      const start = (logger = testLogger) =>
        startTestStreamWorker(db, topics, {
          groupId,
          windows: WINDOWS,
          sessionTimeoutMs: 6_000,
          partitionClaimWaitMs: 30_000,
          logger,
        });
      const old = await start();
      workers.push(old);
      await send(first);
      await waitFor("the first events stored", async () => (await stored()) === first.length, 60_000);
      expect(old.metrics().partitions).toEqual([0, 1]);

      // Both partitions' offset rows locked: the old member's next batches are fetched, parsed and
      // handed over, and wait (for the lock, or for a pooled connection), as behind a slow PostgreSQL.
      lock = await lockStreamOffsetRows(db.db, groupId);
      await send(second);
      await waitForLockWaiters(db.db, "the old member's batches waiting for the lock");

      const joining = await start(joiningLogger); // the rebalance hands it one of the two partitions
      workers.push(joining);
      await waitFor(
        "the new member assigned a partition",
        () => joining.metrics().partitions.length === 1,
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await lock.commit();
      await send(third);

      await waitFor("every bar stored", async () => (await stored()) === ticks.length, 60_000);
      // Without the claim the new member reads the stored offset before the old member's batch commits,
      // fetches and parses that batch again, and skips it in its transaction as already applied.
      expect(old.metrics().skipped + joining.metrics().skipped).toBe(0);
      expect(joining.metrics().applied).toBeGreaterThan(0);
      // It did wait for the old member's commit (which came at least 500 ms after its assignment).
      const waits = logged.filter((l) => l.msg === "waited for the previous owner's batches");
      expect(waits.length).toBeGreaterThan(0);
      expect(waits[0]!.waitedMs).toBeGreaterThanOrEqual(300);
      expect(await diffAgainstReference(db.db, ticks, WINDOWS)).toEqual([]);
    } finally {
      lock?.destroy();
      await close();
    }
  });
});
