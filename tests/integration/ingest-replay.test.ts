import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertSymbols, updateSymbol } from "@/lib/db/queries/symbols";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { createKafkaClient } from "@/lib/kafka/client";
import { type IngestWorker } from "@/workers/ingest/start-ingest-worker";

import {
  createTestDatabase,
  createTestTopics,
  getTestBrokers,
  startTestIngestWorker,
  type TestDatabase,
  testLogger,
  type TestTopics,
  uniqueId,
  waitFor,
} from "./helpers";
import { readTopicToEnd, readTopicUntil } from "./support/read-topic";
import { getRecordedBars } from "./support/recorded-ticks";

const SYMBOLS = ["AAPL", "MSFT", "SPY"];

describe("ingest worker with the replay source, against the real broker and database", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let worker: IngestWorker;
  const kafka = () =>
    createKafkaClient({ brokers: getTestBrokers(), clientId: uniqueId("client"), logger: testLogger });

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await insertSymbols(
      database.db,
      SYMBOLS.map((symbol) => ({ symbol, source: "replay" as const })),
    );
    worker = await startTestIngestWorker(database, topics.ticks);
  });

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it("publishes valid, symbol-keyed events for the three active symbols; pausing one stops its events within 5 s", async () => {
    const reader = kafka();
    const first = await readTopicUntil(
      reader,
      topics.ticks,
      (m) => SYMBOLS.every((s) => m.filter((x) => x.key === s).length > 400),
      60_000,
    );
    const byKey = new Map<string, TickV1[]>();
    const partitionOf = new Map<string, Set<number>>();
    for (const m of first) {
      const tick = tickV1Schema.parse(JSON.parse(m.value));
      expect(m.key).toBe(tick.symbol);
      byKey.set(tick.symbol, [...(byKey.get(tick.symbol) ?? []), tick]);
      partitionOf.set(tick.symbol, (partitionOf.get(tick.symbol) ?? new Set()).add(m.partition));
    }
    expect([...byKey.keys()].sort()).toEqual(SYMBOLS);
    for (const symbol of SYMBOLS) {
      expect(partitionOf.get(symbol)?.size).toBe(1); // one key, one partition: per-symbol order holds
      const ts = byKey.get(symbol)!.map((t) => t.ts);
      expect(ts.every((t, i) => i === 0 || t > ts[i - 1]!)).toBe(true);
      expect(byKey.get(symbol)!.every((t) => t.source === "replay")).toBe(true);
    }
    // Every bar is a real recorded bar of that symbol, shifted in time only.
    for (const symbol of SYMBOLS) {
      const recorded = new Set(
        getRecordedBars()
          .get(symbol)!
          .map((b) => `${b.open}|${b.high}|${b.low}|${b.close}|${b.volume}`),
      );
      expect(
        byKey.get(symbol)!.every((t) => recorded.has(`${t.open}|${t.high}|${t.low}|${t.close}|${t.volume}`)),
      ).toBe(true);
    }

    // Pause MSFT: the NOTIFY reaches the worker, which stops producing it within 5 s. Wait until the
    // other symbols have events produced more than 6 s after the pause (so the 5 s have passed and the
    // worker is still producing), then read everything the topic holds at that point.
    const pausedAt = Date.now();
    const deadline = pausedAt + 5_000;
    await updateSymbol(database.db, "MSFT", { status: "paused" });
    const parseAll = (messages: readonly { value: string }[]) =>
      messages.map((m) => tickV1Schema.parse(JSON.parse(m.value)));
    await readTopicUntil(
      reader,
      topics.ticks,
      (m) => parseAll(m).some((t) => t.symbol !== "MSFT" && t.producedAt > deadline + 1_000),
      30_000,
    );
    const after = parseAll(await readTopicToEnd(reader, topics.ticks));
    const latePaused = after.filter((t) => t.symbol === "MSFT" && t.producedAt > deadline);
    const lateOthers = after.filter((t) => t.symbol !== "MSFT" && t.producedAt > deadline);
    expect(latePaused).toHaveLength(0);
    expect(lateOthers.length).toBeGreaterThan(0);

    // The durable cursors say how far each symbol got.
    await waitFor(
      "cursors saved",
      async () => {
        const { rows } = await database.db.$client.query<{ n: string }>(
          "select count(*) as n from ingest_cursors where replay_seq is not null",
        );
        return Number(rows[0]?.n) === 3;
      },
      10_000,
    );
  });
});
