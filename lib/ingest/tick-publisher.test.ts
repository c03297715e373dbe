import { pino } from "pino";
import { describe, expect, it } from "vitest";

import type { TickV1 } from "@/lib/events/tick-v1";
import { createTickPublisher, type PublishedCursor } from "@/lib/ingest/tick-publisher";
import type { OutMessage } from "@/lib/kafka/messages";
import { createIngestMetrics } from "@/lib/metrics/ingest-metrics";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { readSample } from "@/lib/metrics/testing/read-sample";

const tick = (symbol: string, minute: number): TickV1 => ({
  v: 1,
  symbol,
  ts: Date.parse("2026-03-12T13:30:00Z") + minute * 60_000,
  open: 10,
  high: 11,
  low: 9,
  close: 10,
  volume: 1,
  source: "replay",
  producedAt: 0,
});

function setup(failures: number) {
  const registry = createMetricsRegistry("ingest", { withProcessMetrics: false });
  const sent: OutMessage<TickV1>[][] = [];
  const saved: PublishedCursor[][] = [];
  let attempts = 0;
  const publisher = createTickPublisher({
    send: (messages) => {
      attempts++;
      if (attempts <= failures) return Promise.reject(new Error("broker down"));
      sent.push(messages);
      return Promise.resolve();
    },
    saveCursors: (cursors) => {
      saved.push(cursors);
      return Promise.resolve();
    },
    logger: pino({ level: "silent" }),
    maxBuffered: 5,
    batchSize: 2,
    metrics: createIngestMetrics(registry),
    sleep: () => Promise.resolve(),
  });
  return { publisher, sent, saved, attempts: () => attempts, registry };
}

describe("tick publisher", () => {
  it("never sends an invalid bar", () => {
    const { publisher } = setup(0);
    expect(publisher.enqueue([tick("AAPL", 0), { ...tick("AAPL", 1), high: 1 }])).toBe(1);
    expect(publisher.metrics().rejected).toBe(1);
  });

  it("is bounded: it refuses more once full so that sources pause", () => {
    const { publisher } = setup(0);
    publisher.enqueue([0, 1, 2, 3].map((m) => tick("AAPL", m)));
    expect(publisher.canAccept()).toBe(true);
    publisher.enqueue([tick("AAPL", 4)]);
    expect(publisher.canAccept()).toBe(false);
  });

  it("retries a failed batch first, so every bar is sent once and in order, and saves cursors only after Kafka took them", async () => {
    const { publisher, sent, saved, attempts } = setup(3);
    publisher.enqueue(
      [0, 1, 2].map((m) => tick("AAPL", m)),
      [100, 101, 102],
    );
    publisher.enqueue([tick("MSFT", 0)], [100]);
    publisher.start();
    while (sent.flat().length < 4) await new Promise((r) => setTimeout(r, 5));
    await publisher.stop();
    expect(attempts()).toBe(5); // 3 failures, then two batches of two
    expect(sent.flat().map((m) => `${m.key}@${m.value.ts}`)).toEqual(
      [tick("AAPL", 0), tick("AAPL", 1), tick("AAPL", 2), tick("MSFT", 0)].map((t) => `${t.symbol}@${t.ts}`),
    );
    const lastSaved = new Map(saved.flat().map((c) => [c.symbol, c]));
    expect(lastSaved.get("AAPL")).toMatchObject({ lastTs: tick("AAPL", 2).ts, replaySeq: 102 });
    expect(lastSaved.get("MSFT")).toMatchObject({ replaySeq: 100 });
    expect(publisher.metrics().published.replay).toEqual({ AAPL: 3, MSFT: 1 });
  });

  it("retries exactly the batch that failed, not one grown by bars that arrived meanwhile (the broker may hold it already)", async () => {
    const tried: string[][] = [];
    const first: { fail?: (error: Error) => void } = {};
    const publisher = createTickPublisher({
      send: (messages) => {
        tried.push(messages.map((m) => `${m.key}@${m.value.ts}`));
        // The first send fails only once the test has queued more bars behind it.
        if (tried.length === 1) return new Promise((_, reject) => (first.fail = reject));
        return Promise.resolve();
      },
      saveCursors: () => Promise.resolve(),
      logger: pino({ level: "silent" }),
      maxBuffered: 10,
      batchSize: 3,
      sleep: () => Promise.resolve(),
    });
    publisher.enqueue([tick("AAPL", 0)]);
    publisher.start();
    while (!first.fail) await new Promise((r) => setTimeout(r, 1));
    publisher.enqueue([1, 2, 3].map((m) => tick("AAPL", m)));
    first.fail(new Error("connection closed before the acknowledgement"));
    while (publisher.buffered > 0) await new Promise((r) => setTimeout(r, 1));
    await publisher.stop();
    const at = (...minutes: number[]) => minutes.map((m) => `AAPL@${tick("AAPL", m).ts}`);
    expect(tried).toEqual([at(0), at(0), at(1, 2, 3)]);
  });

  it("counts events produced by source, produce retries and each request's latency for Prometheus", async () => {
    const { publisher, sent, registry } = setup(2);
    publisher.enqueue([
      tick("AAPL", 0),
      { ...tick("MSFT", 0), source: "synthetic" },
      { ...tick("AAPL", 1), high: 1 },
    ]);
    publisher.start();
    while (sent.flat().length < 2) await new Promise((r) => setTimeout(r, 5));
    await publisher.stop();
    const read = (name: string, labels = {}) => readSample(registry, `tickstream_ingest_${name}`, labels);
    expect(await read("events_produced_total", { source: "replay" })).toBe(1);
    expect(await read("events_produced_total", { source: "synthetic" })).toBe(1);
    expect(await read("events_produced_total", { source: "yahoo" })).toBe(0);
    expect(await read("events_rejected_total", { source: "replay" })).toBe(1);
    expect(await read("produce_retries_total")).toBe(2);
    expect(await read("produce_duration_seconds_count", { outcome: "error" })).toBe(2);
    expect(await read("produce_duration_seconds_count", { outcome: "ok" })).toBe(1);
    expect(await read("buffered_events")).toBe(0);
    expect(await read("kafka_available")).toBe(1);
  });
});
