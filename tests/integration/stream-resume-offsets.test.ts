import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertSymbols } from "@/lib/db/queries/symbols";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { createAdmin, createProducer, type Producer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";

import {
  createTestDatabase,
  createTestGroupId,
  createTestKafka,
  createTestTopics,
  startTestStreamWorker,
  uniqueId,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";

const SYMBOLS = ["AAPL", "MSFT", "NVDA", "SPY"];

describe("a restarted stream worker resumes from the offsets stored in PostgreSQL", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let producer: Producer;
  const kafka = createTestKafka(uniqueId("resume"));

  const produce = (ticks: readonly TickV1[]) =>
    sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      ticks.map((t) => ({ key: t.symbol, value: t })),
    );

  const storedOffsetSum = async () => {
    const { rows } = await database.db.$client.query<{ n: string }>(
      "select coalesce(sum(next_offset), 0)::text as n from stream_offsets where topic = $1",
      [topics.ticks],
    );
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await insertSymbols(
      database.db,
      SYMBOLS.map((symbol) => ({
        symbol,
        source: "external" as const,
        exchangeTimezone: "America/New_York",
      })),
    );
    producer = createProducer(kafka, { idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await database?.drop();
  });

  it("re-reads nothing it applied even when Kafka's committed offsets are behind (a crash between the two commits)", async () => {
    const groupId = createTestGroupId("stream");
    const first = getRecordedTicks(SYMBOLS, ["2026-03-16"]);
    const second = getRecordedTicks(SYMBOLS, ["2026-03-17"]);
    await produce(first);
    const a = await startTestStreamWorker(database, topics, { groupId, sessionTimeoutMs: 6_000 });
    await waitFor("the first day applied", async () => (await storedOffsetSum()) === first.length, 60_000);
    await a.stop();

    // Kafka's own committed offsets are only a hint (the truth is stream_offsets): rewind them to the
    // start, as if the worker had died after each PostgreSQL commit and before the Kafka commit.
    const admin = createAdmin(kafka);
    await admin.connect();
    try {
      await admin.resetOffsets({ groupId, topic: topics.ticks, earliest: true });
    } finally {
      await admin.disconnect();
    }

    await produce(second);
    const b = await startTestStreamWorker(database, topics, { groupId, sessionTimeoutMs: 6_000 });
    try {
      await waitFor(
        "the second day applied",
        async () => (await storedOffsetSum()) === first.length + second.length,
        60_000,
      );
      const metrics = b.metrics();
      expect(metrics.skipped).toBe(0);
      expect(metrics.applied).toBe(second.length);
    } finally {
      await b.stop();
    }
  });
});
