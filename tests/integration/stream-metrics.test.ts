import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { kpiMessageSchema, type KpiMessage } from "@/lib/events/kpi-update-v3";
import { createConsumer, createProducer } from "@/lib/kafka/client";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { decodeHeaders } from "@/lib/events/header-value";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { readProducedAtHeaders, type ProducedRange } from "@/lib/events/produced-at-headers";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { readSample } from "@/lib/metrics/testing/read-sample";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  registerTestSymbols,
  startTestStreamWorker,
  type TestDatabase,
  type TestTopics,
  uniqueId,
  waitFor,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";

describe("stream worker metrics and the producedAt headers of market.kpis", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let worker: StreamWorker;
  const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
  const read = (name: string, labels = {}) => readSample(registry, `tickstream_stream_${name}`, labels);

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(2);
    await registerTestSymbols(database.db, ["AAPL", "MSFT"]);
    worker = await startTestStreamWorker(database, topics, { registry, windows: [5] });
  });

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it("observes every applied event, its latency from producedAt, rows, lag, and sends the producedAt range of each update as headers", async () => {
    // Produced 5 to 6 s ago, each symbol over its own span of milliseconds.
    const base = Date.now() - 6_000;
    const ticks = getRecordedTicks(["AAPL", "MSFT"], ["2026-03-16"])
      .filter((t, i, all) => all.findIndex((u) => u.symbol === t.symbol) + 10 > i)
      .map((t, i) => ({ ...t, producedAt: base + (t.symbol === "AAPL" ? i * 10 : 500 + i) }));
    expect(ticks).toHaveLength(20);
    const expected = (symbol: string): ProducedRange => {
      const at = ticks.filter((t) => t.symbol === symbol).map((t) => t.producedAt);
      return { oldest: Math.min(...at), newest: Math.max(...at) };
    };

    const updates: { update: KpiMessage; range: ProducedRange | null }[] = [];
    const reader = createConsumer(createTestKafka(), { groupId: uniqueId("kpis-reader") });
    await reader.connect();
    await reader.subscribe({ topics: [topics.kpis], fromBeginning: true });
    await reader.run({
      eachMessage: ({ message }) => {
        const update = kpiMessageSchema.parse(JSON.parse(message.value?.toString() ?? ""));
        updates.push({ update, range: readProducedAtHeaders(decodeHeaders(message.headers)) });
        return Promise.resolve();
      },
    });
    try {
      const producer = createProducer(createTestKafka());
      await producer.connect();
      await sendJsonBatch(
        producer,
        topics.ticks,
        tickV1Schema,
        ticks.map((t) => ({ key: t.symbol, value: t })),
      );
      await producer.disconnect();

      await waitFor("20 events applied", async () => (await read("events_applied_total")) === 20);
      expect(await read("produced_to_committed_seconds_count", { source: "replay" })).toBe(20);
      // Every event waited at least 5 s between its producer and the commit: none in the faster buckets.
      expect(await read("produced_to_committed_seconds_bucket", { source: "replay", le: 2.5 })).toBe(0);
      expect(await read("produced_to_committed_seconds_bucket", { source: "replay", le: 60 })).toBe(20);
      expect(await read("rows_written_total", { table: "fact_prices" })).toBeGreaterThanOrEqual(20);
      expect(await read("rows_written_total", { table: "kpi_snapshots" })).toBeGreaterThan(0);
      expect(await read("batches_total", { outcome: "applied" })).toBeGreaterThan(0);
      expect(await read("batch_events_count")).toBe(await read("batches_total", { outcome: "applied" }));
      expect(await read("newest_bar_timestamp_seconds")).toBe(Math.max(...ticks.map((t) => t.ts)) / 1000);
      // Caught up: the stored next offset of each partition is its high watermark.
      for (const partition of [0, 1]) {
        const offset = await read("committed_offset", { partition });
        if (offset === undefined) continue; // both symbols may hash to one partition
        expect(await read("consumer_lag_events", { partition })).toBe(0);
        expect(await read("partition_high_watermark", { partition })).toBe(offset);
      }

      // The symbol updates go many to a message (v3), each message with the range of all its events.
      const readSymbolMessages = () =>
        updates.flatMap(({ update, range }) =>
          update.type === "symbols" ? [{ symbols: update.updates.map((u) => u.symbol), range }] : [],
        );
      await waitFor("live updates of both symbols", () =>
        ["AAPL", "MSFT"].every((s) => readSymbolMessages().some((m) => m.symbols.includes(s))),
      );
      const symbolMessages = readSymbolMessages();
      expect(updates.filter((u) => u.update.type === "symbol")).toEqual([]);
      const producedAt = ticks.map((t) => t.producedAt);
      const all = { oldest: Math.min(...producedAt), newest: Math.max(...producedAt) };
      for (const { symbols, range: got } of symbolMessages) {
        expect(got, `${symbols.join(",")}: headers`).not.toBeNull();
        const own = symbols.map(expected);
        expect(got!.oldest).toBeGreaterThanOrEqual(Math.min(...own.map((r) => r.oldest)));
        expect(got!.newest).toBeLessThanOrEqual(Math.max(...own.map((r) => r.newest)));
      }
      // However the events were batched, the messages together span exactly the events' range.
      expect(Math.min(...symbolMessages.map((m) => m.range!.oldest))).toBe(all.oldest);
      expect(Math.max(...symbolMessages.map((m) => m.range!.newest))).toBe(all.newest);
      const movers = updates.filter((u) => u.update.type === "movers");
      expect(movers.length).toBeGreaterThan(0);
      for (const { range } of movers) {
        expect(range).not.toBeNull();
        expect(range!.oldest).toBeGreaterThanOrEqual(base);
        expect(range!.newest).toBeLessThanOrEqual(expected("MSFT").newest);
      }
    } finally {
      await reader.disconnect();
    }
  });
});
