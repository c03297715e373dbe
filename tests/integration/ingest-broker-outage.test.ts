import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { getAppState } from "@/lib/db/queries/app-state";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { buildReplayTimeline, getReplayTimestamp, type ReplayClock } from "@/lib/ingest/replay/timeline";
import { createAdmin, createKafkaClient } from "@/lib/kafka/client";
import { ensureTopics } from "@/lib/kafka/topics";
import { sleep } from "@/lib/retry";
import { type IngestWorker } from "@/workers/ingest/start-ingest-worker";
import { ensureKafka, stopLocalKafka, type LocalBroker } from "@/scripts/stack/kafka";
import { DATA_DIR } from "@/scripts/stack/paths";

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

const SYMBOLS = ["AAPL", "NVDA"];
/** How long the broker stays away. */
const OUTAGE_MS = 10_000;

/** Two consecutive free ports (broker and its KRaft controller). */
async function findFreePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all(
      [port, port + 1].map(
        (p) =>
          new Promise<boolean>((resolve) => {
            const server = net
              .createServer()
              .once("error", () => resolve(false))
              .listen(p, "127.0.0.1", () => server.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
  throw new Error("no free port pair");
}

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
    await ensureKafka(brokers, broker);
    const kafka = () =>
      createKafkaClient({ brokers: [brokers], clientId: uniqueId("c"), logger: testLogger, retries: 2 });
    const topic = "market.ticks";
    const admin = createAdmin(kafka());
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 3 }]);
    await admin.disconnect();

    const db = (database = await createTestDatabase());
    await insertSymbols(
      db.db,
      SYMBOLS.map((symbol) => ({ symbol, source: "replay" as const })),
    );
    worker = await startTestIngestWorker(db, topic, {
      kafka: kafka(),
      replay: { dataDir: "data/minute-bars", speed: 300 },
    });
    await waitFor(
      "bars flowing",
      () => (worker!.metrics().publisher.published.replay?.AAPL ?? 0) > 450,
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
    await ensureKafka(brokers, broker);
    const upAfterMs = Date.now() - downAt;

    await waitFor(
      "buffer drained",
      () => worker!.metrics().publisher.buffered === 0 && worker!.metrics().publisher.kafkaAvailable,
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

    const clock = await getAppState<ReplayClock>(db.db, "replay.clock");
    const timeline = buildReplayTimeline(getRecordedBars(), "America/New_York");
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
      const last = Number(cursors.find((c) => c.symbol === symbol)?.replay_seq);
      const firstTs = ticks[0]!.ts;
      // The replay positions from the first bar sent to the cursor, each exactly once, in order.
      let firstPosition = last;
      while (firstPosition > 0 && getReplayTimestamp(timeline, clock!.anchorDate, firstPosition) > firstTs)
        firstPosition--;
      const expected = Array.from({ length: last - firstPosition + 1 }, (_, i) =>
        getReplayTimestamp(timeline, clock!.anchorDate, firstPosition + i),
      );
      expect(ticks.map((t) => t.ts)).toEqual(expected);
    }
    testLogger.info({ heldWhileDown, upAfterMs }, "outage figures");
    expect(heldWhileDown).toBeGreaterThan(0);
  });
});
