import { rmSync } from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { insertSymbols } from "@/lib/db/queries/symbols";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { getReplayBar } from "@/lib/ingest/replay/wall-clock";
import { createKafkaClient } from "@/lib/kafka/client";
import { sleep } from "@/lib/retry";
import { type IngestWorker } from "@/workers/ingest/start-ingest-worker";
import { ensureKafka, stopLocalKafka, type LocalBroker } from "@/scripts/stack/kafka";
import { connectAs, type KafkaRole } from "@/scripts/stack/kafka-credentials";
import { DATA_DIR } from "@/scripts/stack/paths";
import { createPipelineTopics, getProcessGroups } from "@/scripts/stack/scratch";

import {
  createTestDatabase,
  startTestIngestWorker,
  type TestDatabase,
  testLogger,
  uniqueId,
  waitFor,
} from "./helpers";
import { getRecordedBars } from "./support/recorded-ticks";
import { readTopicToEnd } from "./support/read-topic";
import { findFreePortPair } from "@/scripts/stack/ports";

const SYMBOLS = ["AAPL", "NVDA"];
/** How long the broker stays away. */
const OUTAGE_MS = 10_000;

describe("ingest worker while its Kafka broker goes away for 10 seconds", () => {
  // A broker of this test's own: stopping the shared one would break the other test files.
  const broker: LocalBroker = {
    name: uniqueId("kafka-outage"),
    dir: path.join(DATA_DIR, "test-brokers", uniqueId("b")),
  };
  let brokers = "";
  let database: TestDatabase | undefined;
  let worker: IngestWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
    await stopLocalKafka(broker.name);
    rmSync(broker.dir, { recursive: true, force: true });
    await database?.drop();
  });

  it("holds the bars, and after the broker returns every bar arrives exactly once and in order per symbol", async () => {
    brokers = `127.0.0.1:${await findFreePortPair()}`;
    const local = await ensureKafka({ KAFKA_BROKERS: brokers, KAFKA_SSL: false }, broker);
    const kafka = (role: KafkaRole = "admin") =>
      createKafkaClient({
        ...connectAs(local.admin, local.credentials, role),
        clientId: uniqueId("c"),
        logger: testLogger,
        retries: 2,
      });
    const topic = "market.ticks";
    await createPipelineTopics(
      local.admin,
      { ticks: topic, kpis: "market.kpis", ticksDlq: "market.ticks.dlq" },
      3,
      { credentials: local.credentials, groups: getProcessGroups("tickstream-stream") },
    );

    const db = (database = await createTestDatabase());
    await insertSymbols(
      db.db,
      SYMBOLS.map((symbol) => ({ symbol, source: "replay" as const })),
    );
    worker = await startTestIngestWorker(db, topic, { kafka: kafka("ingest") });
    const isCaughtUp = () => worker!.metrics().sources.replay.behind === 0;
    await waitFor(
      "backfill sent and revisions flowing",
      () => isCaughtUp() && (worker!.metrics().publisher.published.replay?.AAPL ?? 0) > 0,
      60_000,
    );

    await stopLocalKafka(broker.name);
    const downAt = Date.now();
    // The worker notices the outage and holds bars in its buffer...
    await waitFor(
      "the worker to notice the outage and hold bars",
      () => !worker!.metrics().publisher.kafkaAvailable && worker!.metrics().publisher.buffered > 0,
      60_000,
    );
    // ...and the broker stays away for 10 s in all (the outage simulated), so that bars pile up.
    await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
    const heldWhileDown = worker.metrics().publisher.buffered;
    expect(worker.metrics().publisher.kafkaAvailable).toBe(false);
    await ensureKafka({ KAFKA_BROKERS: brokers, KAFKA_SSL: false }, broker);
    const upAfterMs = Date.now() - downAt;

    // A timeout names the publisher's state and its last send error (one CI run timed out here once).
    await waitFor(
      "buffer drained",
      () => {
        const { buffered, kafkaAvailable, sendFailures, lastError } = worker!.metrics().publisher;
        if (buffered === 0 && kafkaAvailable) return true;
        throw new Error(
          `${buffered} bars buffered, Kafka ${kafkaAvailable ? "available" : "unavailable"}, ${sendFailures} failed sends, last: ${lastError ?? "none"}`,
        );
      },
      90_000,
    );
    // Bars keep flowing after the outage: new ones are published once the backlog is gone.
    const publishedAfterDrain = worker.metrics().publisher.published.replay?.AAPL ?? 0;
    await waitFor(
      "new bars after the drain",
      () => (worker!.metrics().publisher.published.replay?.AAPL ?? 0) > publishedAfterDrain,
      30_000,
    );
    await worker.stop();
    worker = undefined;

    const { rows: cursors } = await db.db.$client.query<{ symbol: string; replay_seq: string }>(
      "select symbol, replay_seq from ingest_cursors",
    );
    // The worker has stopped after draining its buffer: the topic's end offsets hold everything it sent.
    const all = await readTopicToEnd(kafka(), topic);
    expect(new Set(all.map((m) => m.key))).toEqual(new Set(SYMBOLS));

    for (const symbol of SYMBOLS) {
      const ticks = all
        .filter((m) => m.key === symbol)
        .sort((a, b) => a.offset - b.offset)
        .map((m) => tickV1Schema.parse(JSON.parse(m.value)));
      const lastFinal = Number(cursors.find((c) => c.symbol === symbol)?.replay_seq);
      const recording = getRecordedBars().get(symbol)!;
      // Per symbol in offset order: minutes never go back, none is skipped, none is after its production.
      expect(
        ticks.every((t, i) => i === 0 || t.ts === ticks[i - 1]!.ts || t.ts === ticks[i - 1]!.ts + 60_000),
      ).toBe(true);
      expect(ticks.every((t) => t.ts <= t.producedAt)).toBe(true);
      // The final bar of every minute up to the cursor arrived exactly once, as the last event of its minute.
      for (let ts = ticks[0]!.ts; ts <= lastFinal; ts += 60_000) {
        const ofMinute = ticks.filter((t) => t.ts === ts);
        const { open, high, low, close, volume } = ofMinute.at(-1)!;
        expect({ ts, open, high, low, close, volume }).toEqual(getReplayBar(recording, ts));
        // Revisions before it were partial: less volume (a bar with volume reaches it only at the end).
        if (volume > 0) expect(ofMinute.slice(0, -1).every((t) => t.volume < volume)).toBe(true);
      }
      // Each event (a minute's bar as of one step) arrived once, those made during the outage included.
      expect(new Set(ticks.map((t) => `${t.ts}|${t.producedAt}`)).size).toBe(ticks.length);
      expect(ticks.some((t) => t.producedAt > downAt && t.producedAt < downAt + upAfterMs)).toBe(true);
    }
    testLogger.info({ heldWhileDown, upAfterMs }, "outage figures");
    expect(heldWhileDown).toBeGreaterThan(0);
  });
});
