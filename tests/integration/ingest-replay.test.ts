import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertSymbols, updateSymbol } from "@/lib/db/queries/symbols";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { getReplayBar } from "@/lib/ingest/replay/wall-clock";
import { createKafkaClient } from "@/lib/kafka/client";
import { type IngestWorker } from "@/workers/ingest/start-ingest-worker";

import {
  createTestDatabase,
  createTestTopics,
  getTestKafkaConnection,
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
    createKafkaClient({ ...getTestKafkaConnection(), clientId: uniqueId("client"), logger: testLogger });

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);
    await insertSymbols(
      database.db,
      SYMBOLS.map((symbol) => ({ symbol, source: "replay" as const })),
    );
    worker = await startTestIngestWorker(database, topics.ticks, {
      replay: { dataDir: "data/minute-bars", backfillDays: 1 },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it("publishes valid, symbol-keyed events for the three active symbols, none after the wall clock; pausing one stops its events within 5 s", async () => {
    const reader = kafka();
    // A day of backfill (at least 1,440 bars), then at least 3 seconds of revisions of the current minute.
    const startedAt = Date.now();
    const first = await readTopicUntil(
      reader,
      topics.ticks,
      (m) =>
        SYMBOLS.every(
          (s) =>
            m.filter((x) => x.key === s).length > 1_440 &&
            m.some((x) => x.key === s && (JSON.parse(x.value) as TickV1).producedAt > startedAt + 3_000),
        ),
      60_000,
    );
    const readAt = Date.now();
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
      const ticks = byKey.get(symbol)!;
      // Minute after minute, never back, never skipping; a minute's revisions follow each other.
      expect(ticks.every((t, i) => i === 0 || [0, 60_000].includes(t.ts - ticks[i - 1]!.ts))).toBe(true);
      expect(ticks.every((t) => t.source === "replay")).toBe(true);
      // No bar starts after the wall clock: not when it was produced, not when it was read.
      expect(ticks.every((t) => t.ts <= t.producedAt && t.ts <= readAt)).toBe(true);
      // Every finished minute's last event is the replayed recorded bar of that minute exactly.
      const recording = getRecordedBars().get(symbol)!;
      const lastOfMinute = new Map(ticks.map((t) => [t.ts, t]));
      const newest = Math.max(...lastOfMinute.keys());
      for (const [ts, t] of lastOfMinute) {
        if (ts === newest) continue;
        const { open, high, low, close, volume } = t;
        expect({ ts, open, high, low, close, volume }).toEqual(getReplayBar(recording, ts));
      }
      // The current minute's bar is revised while its minute runs: several events, produced within it,
      // staying inside the replayed bar, with growing volume.
      const current = ticks.filter((t) => t.ts === newest);
      const full = getReplayBar(recording, newest);
      const revisions = ticks.filter((t) => t.producedAt < t.ts + 60_000 && t.producedAt > startedAt + 1_000);
      expect(revisions.length).toBeGreaterThanOrEqual(2);
      expect(new Set(revisions.map((t) => t.producedAt)).size).toBe(revisions.length);
      for (const t of current.filter((c) => c.producedAt < newest + 60_000)) {
        expect(t.open).toBe(full.open);
        expect(t.high).toBeLessThanOrEqual(full.high);
        expect(t.low).toBeGreaterThanOrEqual(full.low);
        expect(t.volume).toBeLessThanOrEqual(full.volume);
      }
      expect(current.every((t, i) => i === 0 || t.volume >= current[i - 1]!.volume)).toBe(true);
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
