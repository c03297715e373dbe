import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createKafkaClient, createProducer } from "@/lib/kafka/client";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { type StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestTopics,
  getTestKafkaConnection,
  registerTestSymbols,
  startTestStreamWorker,
  type TestDatabase,
  testLogger,
  type TestTopics,
  uniqueId,
  waitFor,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

const SYMBOLS = ["AAPL", "MSFT", "NVDA", "SPY", "TSLA"];
// 2026-03-13 is the trading day under test; 2026-03-12 before it gives the previous close.
const DATES = ["2026-03-12", "2026-03-13"];
const WINDOWS = [5, 15, 60];

describe("stream worker on a real trading day replayed through Kafka", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let worker: StreamWorker;
  const ticks = getRecordedTicks(SYMBOLS, DATES);

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await registerTestSymbols(database.db, SYMBOLS);
    const kafka = createKafkaClient({
      ...getTestKafkaConnection(),
      clientId: uniqueId("producer"),
      logger: testLogger,
    });
    const producer = createProducer(kafka, { idempotent: true });
    await producer.connect();
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      ticks.map((t) => ({ key: t.symbol, value: t })),
    );
    await producer.disconnect();
    worker = await startTestStreamWorker(database, topics, { windows: WINDOWS });
  });

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it("stores every fact_prices, daily_stats and kpi_snapshots row as computed independently from the source file", async () => {
    expect(ticks).toHaveLength(SYMBOLS.length * DATES.length * 390);
    await waitFor(
      "all bars stored",
      async () => {
        const { rows } = await database.db.$client.query<{ n: string }>(
          "select count(*) as n from fact_prices",
        );
        return Number(rows[0]?.n) === ticks.length;
      },
      120_000,
    );
    const problems = await diffAgainstReference(database.db, ticks, WINDOWS);
    expect(problems.slice(0, 20)).toEqual([]);

    // The day under test: 390 bars, change % against the previous day's close.
    const { rows } = await database.db.$client.query<{ bar_count: number; change_pct: number | null }>(
      "select bar_count, change_pct from daily_stats where trade_date = '2026-03-13'",
    );
    expect(rows).toHaveLength(SYMBOLS.length);
    expect(rows.every((r) => r.bar_count === 390 && r.change_pct !== null)).toBe(true);
  });

  it("lands every accepted event once and stores the next offsets with the rows", async () => {
    const { rows: raw } = await database.db.$client.query<{ n: string }>(
      "select count(*) as n from raw_ticks",
    );
    expect(Number(raw[0]?.n)).toBe(ticks.length);
    const { rows: offsets } = await database.db.$client.query<{ total: string }>(
      "select sum(next_offset) as total from stream_offsets",
    );
    expect(Number(offsets[0]?.total)).toBe(ticks.length);
  });
});
