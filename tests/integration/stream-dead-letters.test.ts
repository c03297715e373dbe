import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deadLetterReasonClassSchema } from "@/lib/events/dead-letter";
import { DLQ_HEADERS } from "@/lib/events/topics";
import { createConsumer, createKafkaClient, createProducer } from "@/lib/kafka/client";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { decodeHeaders } from "@/lib/events/header-value";
import { sendJsonBatch, sendTextBatch } from "@/lib/kafka/messages";
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

/** 100 kinds of bad input, from broken JSON to impossible bars. */
function malformed(i: number, good: { symbol: string; ts: number }): { key: string; value: unknown } {
  const base = {
    v: 1,
    symbol: good.symbol,
    ts: good.ts,
    open: 10,
    high: 11,
    low: 9,
    close: 10,
    volume: 5,
    source: "replay",
    producedAt: 1,
  };
  const variants: { key: string; value: unknown }[] = [
    { key: good.symbol, value: "{not json" },
    { key: good.symbol, value: { ...base, v: 2 } },
    { key: good.symbol, value: { ...base, high: 8 } }, // high < low
    { key: good.symbol, value: { ...base, volume: -1 } },
    { key: good.symbol, value: { ...base, close: "NaN" } },
    { key: good.symbol, value: { ...base, ts: base.ts + 1234 } }, // not minute-aligned
    { key: good.symbol, value: { ...base, source: "bloomberg" } },
    { key: good.symbol, value: { ...base, symbol: "bad symbol!" } },
    { key: "OTHER", value: base }, // key does not match the symbol
    { key: good.symbol, value: "" },
    { key: good.symbol, value: { ...base, pad: "x".repeat(4_000) } }, // valid fields plus padding: too large
    { key: good.symbol, value: { ...base, note: "extra" } }, // an unknown field
    { key: good.symbol, value: { ...base, high: 5e7 } }, // a price no instrument trades at
  ];
  return variants[i % variants.length]!;
}

describe("dead letters", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let worker: StreamWorker;

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await registerTestSymbols(database.db, ["AAPL", "MSFT"]);
    worker = await startTestStreamWorker(database, topics, { windows: [5], rawTicksRetentionHours: 0 });
  });

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it("records all 100 malformed events in dead_letters and publishes each once to the DLQ with a reason, and processes every good one", async () => {
    const good = getRecordedTicks(["AAPL", "MSFT"], ["2026-03-16"]).slice(0, 400);
    const messages = good.flatMap((t, i) =>
      i % 4 === 0 ? [{ key: t.symbol, value: t }, malformed(i / 4, t)] : [{ key: t.symbol, value: t }],
    );
    expect(messages.length - good.length).toBe(100);
    const kafka = createKafkaClient({
      ...getTestKafkaConnection(),
      clientId: uniqueId("producer"),
      logger: testLogger,
    });
    const producer = createProducer(kafka);
    await producer.connect();
    // Malformed events on purpose: sent as text, past the schema a real producer parses with.
    await sendTextBatch(
      producer,
      topics.ticks,
      messages.map((m) => ({
        key: m.key,
        value: typeof m.value === "string" ? m.value : JSON.stringify(m.value),
      })),
    );
    await producer.disconnect();

    await waitFor(
      "good bars stored",
      async () => {
        const { rows } = await database.db.$client.query<{ n: string }>(
          "select count(*) as n from fact_prices",
        );
        return Number(rows[0]?.n) === good.length;
      },
      60_000,
    );

    const dead: {
      reasonClass: string;
      reason: string;
      coordinates: string;
      offset: string;
      key: string;
      value: string;
      valueBytes: string;
    }[] = [];
    const consumer = createConsumer(kafka, { groupId: uniqueId("dlq-reader") });
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.ticksDlq], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const headers = decodeHeaders(message.headers);
        dead.push({
          reasonClass: headers[DLQ_HEADERS.reasonClass] ?? "",
          reason: headers[DLQ_HEADERS.reason] ?? "",
          coordinates: [
            headers[DLQ_HEADERS.sourceTopic],
            headers[DLQ_HEADERS.sourcePartition],
            headers[DLQ_HEADERS.sourceOffset],
          ].join("/"),
          offset: headers[DLQ_HEADERS.sourceOffset] ?? "",
          key: message.key?.toString() ?? "",
          value: message.value?.toString() ?? "",
          valueBytes: headers[DLQ_HEADERS.valueBytes] ?? "",
        });
        return Promise.resolve();
      },
    });
    await waitFor("100 dead letters", () => dead.length >= 100, 30_000);
    await consumer.disconnect();
    expect(dead).toHaveLength(100);
    expect(dead.every((d) => d.reason.length > 0 && d.offset !== "")).toBe(true);
    expect(dead.map((d) => d.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/not JSON/),
        expect.stringMatching(/unknown schema version/),
        expect.stringMatching(/below low/),
        expect.stringMatching(/volume/),
        expect.stringMatching(/whole minute/),
        expect.stringMatching(/does not match symbol/),
        expect.stringMatching(/empty message/),
      ]),
    );
    expect(worker.metrics().deadLettered).toBe(100);
    // One row per letter in PostgreSQL, each published; the topic has each row once, as recorded.
    const readRows = () =>
      database.db.$client.query<{
        coordinates: string;
        message_key: string | null;
        value: string;
        value_bytes: number;
        reason_class: string;
        is_published: boolean;
      }>(
        `select source_topic || '/' || source_partition || '/' || source_offset as coordinates, message_key,
              convert_from(value, 'UTF8') as value, value_bytes, reason_class, published_at is not null as is_published
         from dead_letters where source_topic = $1 order by seq`,
        [topics.ticks],
      );
    // The broker acknowledges (and the reader may see) a letter just before the relay marks it.
    const rows = await waitFor("100 letters marked published", async () => {
      const { rows } = await readRows();
      return rows.length === 100 && rows.every((r) => r.is_published) ? rows : null;
    });
    const byCoordinates = new Map(dead.map((d) => [d.coordinates, d]));
    expect(byCoordinates.size).toBe(100);
    for (const row of rows) {
      const letter = byCoordinates.get(row.coordinates);
      expect(letter, row.coordinates).toBeDefined();
      expect(letter).toMatchObject({
        key: row.message_key ?? "",
        value: row.value,
        reasonClass: row.reason_class,
        valueBytes: String(row.value_bytes),
      });
      expect(Buffer.byteLength(letter!.value)).toBe(row.value_bytes);
    }
    // Each letter names its class in a header, and Prometheus counts the same classes.
    const fromHeaders: Record<string, number> = {};
    for (const d of dead) fromHeaders[d.reasonClass] = (fromHeaders[d.reasonClass] ?? 0) + 1;
    for (const reasonClass of ["not_json", "unknown_version", "schema", "key_mismatch", "empty", "too_large"])
      expect(fromHeaders[reasonClass], reasonClass).toBeGreaterThan(0);
    expect(Object.keys(fromHeaders).every((c) => deadLetterReasonClassSchema.safeParse(c).success)).toBe(
      true,
    );
    expect(fromHeaders.other).toBeUndefined();
    const byReason = Object.fromEntries(
      (await worker.registry.getSingleMetric("tickstream_stream_dead_letters_total")!.get()).values
        .filter((v) => v.value > 0)
        .map((v) => [String(v.labels.reason), v.value]),
    );
    expect(byReason).toEqual(fromHeaders);
  });

  it("dead-letters a bar dated after the clock (2099) with the reason, stores the current minute's bar, and ranks no future mover", async () => {
    const symbol = `FUT${uniqueId("s")
      .slice(-6)
      .replace(/[^A-Za-z0-9]/g, "")
      .toUpperCase()}`;
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const bar = (ts: number, open: number, close: number) => ({
      key: symbol,
      value: {
        v: 1,
        symbol,
        ts,
        open,
        high: Math.max(open, close),
        low: Math.min(open, close),
        close,
        volume: 100,
        source: "synthetic",
        producedAt: Date.now(),
      },
    });
    const future = Date.parse("2099-01-02T15:00:00Z");
    await registerTestSymbols(database.db, [symbol]);
    const kafka = createKafkaClient({
      ...getTestKafkaConnection(),
      clientId: uniqueId("p"),
      logger: testLogger,
    });
    const producer = createProducer(kafka);
    await producer.connect();
    // A +50 % riser in 2099 would top every movers table; the current minute's bar is a normal one.
    await sendJsonBatch(producer, topics.ticks, tickV1Schema, [bar(future, 100, 150), bar(minute, 100, 101)]);
    await producer.disconnect();

    const dead: { reasonClass: string; reason: string; value: string }[] = [];
    const consumer = createConsumer(kafka, { groupId: uniqueId("dlq-future") });
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.ticksDlq], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const value = message.value?.toString() ?? "";
        const headers = decodeHeaders(message.headers);
        if (value.includes(symbol))
          dead.push({
            reasonClass: headers[DLQ_HEADERS.reasonClass] ?? "",
            reason: headers[DLQ_HEADERS.reason] ?? "",
            value,
          });
        return Promise.resolve();
      },
    });
    await waitFor("the future bar's dead letter", () => dead.length >= 1, 30_000);
    await waitFor(
      "the current minute's bar stored",
      async () =>
        (await database.db.$client.query("select 1 from fact_prices where symbol = $1", [symbol]))
          .rowCount === 1,
      30_000,
    );
    await consumer.disconnect();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reasonClass).toBe("future_bar");
    expect(dead[0]!.reason).toMatch(/bar starts in the future: ts 2099-01-02T15:00:00.000Z/);
    expect((JSON.parse(dead[0]!.value) as { ts: number }).ts).toBe(future);
    const q = (sql: string) =>
      database.db.$client.query<Record<string, unknown>>(sql, [symbol]).then((r) => r.rows);
    expect(
      await q("select ts from fact_prices where symbol = $1 and ts > now() + interval '2 minutes'"),
    ).toEqual([]);
    expect(await q("select 1 from daily_stats where symbol = $1 and trade_date > current_date + 1")).toEqual(
      [],
    );
    expect(await q("select 1 from kpi_snapshots where symbol = $1 and window_start > now()")).toEqual([]);
    expect(await q("select 1 from top_movers where symbol = $1 and window_start > now()")).toEqual([]);
    expect(await q("select 1 from bi.latest_movers where symbol = $1 and window_start > now()")).toEqual([]);
    expect(worker.metrics().deadLettered).toBe(101);
  });
});
