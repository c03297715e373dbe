import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { DLQ_HEADERS } from "@/lib/events/topics";
import { createAdmin, createProducer, type KafkaClient, type Producer } from "@/lib/kafka/client";
import { ensureTopics } from "@/lib/kafka/topics";
import { sendTextBatch, type InMessage } from "@/lib/kafka/messages";
import { closeDb, createDb } from "@/lib/db/client";
import { deleteDeadLettersPublishedBefore } from "@/lib/db/queries/dead-letters";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";
import { createDeadLetterRelay, DEAD_LETTER_RETENTION_MS } from "@/workers/stream/dead-letter-relay";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  DEFAULT_STREAM_SYMBOL_SETTINGS,
  grantTestTopicAcls,
  registerTestSymbols,
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  runCleanup,
  startTestStreamWorker,
  type TestDatabase,
  testLogger,
  uniqueId,
  waitFor,
} from "./helpers";
import { readTopicToEnd, type ReadMessage } from "./support/read-topic";
import { getRecordedTicks } from "./support/recorded-ticks";

/** Bad events of several classes, keyed by their symbol as a real producer would. */
const BAD_VALUES = ["{not json", '{"v":2}', JSON.stringify({ v: 1, symbol: "AAPL" })];

type OutboxRow = {
  coordinates: string;
  seq: number;
  published: boolean;
  attempts: number;
  last_error: string | null;
};

async function listOutbox(database: TestDatabase, topic: string): Promise<OutboxRow[]> {
  const { rows } = await database.db.$client.query<OutboxRow>(
    `select source_topic || '/' || source_partition || '/' || source_offset as coordinates, seq::int as seq,
            published_at is not null as published, attempts, last_error
       from dead_letters where source_topic = $1 order by seq`,
    [topic],
  );
  return rows;
}

const coordinatesOf = (m: ReadMessage) =>
  [
    m.headers[DLQ_HEADERS.sourceTopic],
    m.headers[DLQ_HEADERS.sourcePartition],
    m.headers[DLQ_HEADERS.sourceOffset],
  ].join("/");

/** Produces recorded good ticks [from, to) with one bad event after every `every`-th of them. */
async function produceMixed(kafka: KafkaClient, topic: string, from: number, to: number, every: number) {
  const good = getRecordedTicks(["AAPL", "MSFT"], ["2026-03-16"]).slice(from, to);
  const messages = good.flatMap((t, i) => {
    const message = { key: t.symbol, value: JSON.stringify(t) };
    return i % every === 0
      ? [message, { key: t.symbol, value: BAD_VALUES[(i / every) % BAD_VALUES.length]! }]
      : [message];
  });
  const producer = createProducer(kafka);
  await producer.connect();
  await sendTextBatch(producer, topic, messages);
  await producer.disconnect();
  return { good: good.length, bad: messages.length - good.length };
}

async function countFactRows(database: TestDatabase): Promise<number> {
  const { rows } = await database.db.$client.query<{ n: string }>("select count(*) as n from fact_prices");
  return Number(rows[0]?.n);
}

describe("dead-letter outbox", () => {
  let database: TestDatabase;
  let kafka: KafkaClient;
  let worker: StreamWorker | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Registered, so that only the bad events become letters (the symbol policy refuses unknown ones).
    await registerTestSymbols(database.db, ["AAPL", "MSFT"]);
    kafka = createTestKafka();
  });

  afterEach(async () => {
    await runCleanup("stopping the stream worker", () => worker?.stop());
    worker = undefined;
    await database.adminDb.$client.query("truncate fact_prices, daily_stats, kpi_snapshots, raw_ticks");
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("a batch that fails after recording its dead letters is retried: one row and one DLQ message per letter, none from the rolled-back attempt", async () => {
    const topics = await createTestTopics(1);
    // Fails the first offset update of any batch (after the letters were inserted), once: sequences are
    // not transactional, so the failure is not rolled back with the batch, and neither is the record
    // of how many letters the failing transaction saw.
    // As the admin (the runtime role has no DDL); security definer: the trigger fires in the runtime
    // role's transactions and sets a sequence it may not update.
    await database.adminDb.$client.query(`
      create sequence fail_once;
      create sequence letters_seen_by_failed_attempt minvalue 0;
      create function fail_first_offset_update() returns trigger language plpgsql security definer as $$
      begin
        if nextval('fail_once') = 1 then
          perform setval('letters_seen_by_failed_attempt', (select count(*) from dead_letters), true);
          raise exception 'injected failure after the dead letters were recorded';
        end if;
        return new;
      end $$;
      create trigger fail_first_offset_update before update on stream_offsets
        for each row execute function fail_first_offset_update();`);
    try {
      const sent = await produceMixed(kafka, topics.ticks, 0, 60, 10);
      worker = await startTestStreamWorker(database, topics, { windows: [5], rawTicksRetentionHours: 0 });

      await waitFor(
        "the retried batch committed and its letters published",
        async () =>
          (await countFactRows(database)) === sent.good &&
          (await listOutbox(database, topics.ticks)).filter((r) => r.published).length === sent.bad,
        60_000,
      );
      const seen = await database.db.$client.query<{ n: string }>(
        "select last_value as n from letters_seen_by_failed_attempt",
      );
      expect(Number(seen.rows[0]?.n), "letters inserted by the attempt that rolled back").toBeGreaterThan(0);
      expect(worker.metrics().failedBatches).toBeGreaterThanOrEqual(1);

      const rows = await listOutbox(database, topics.ticks);
      expect(rows).toHaveLength(sent.bad);
      expect(new Set(rows.map((r) => r.coordinates)).size).toBe(sent.bad);
      // Everything the relay will ever send for these rows is on the topic now: each letter once.
      const dlq = await readTopicToEnd(kafka, topics.ticksDlq);
      expect(dlq.map(coordinatesOf).sort()).toEqual(rows.map((r) => r.coordinates).sort());
      expect(worker.metrics().deadLettered).toBe(sent.bad);
    } finally {
      await database.adminDb.$client.query(
        "drop trigger fail_first_offset_update on stream_offsets; drop function fail_first_offset_update()",
      );
    }
  });

  it("keeps committing batches while the DLQ topic is unavailable; the letters wait in PostgreSQL and are published once it is there", async () => {
    const id = uniqueId("it");
    const topics = {
      ticks: `${id}.market.ticks`,
      kpis: `${id}.market.kpis`,
      ticksDlq: `${id}.market.ticks.dlq`,
    };
    const admin = createAdmin(kafka);
    await admin.connect();
    try {
      // No DLQ topic yet, and neither broker nor producer creates one: every send of the relay fails.
      await grantTestTopicAcls(topics);
      await ensureTopics(admin, [
        { topic: topics.ticks, numPartitions: 2 },
        { topic: topics.kpis, numPartitions: 2 },
      ]);
      worker = await startTestStreamWorker(database, topics, {
        windows: [5],
        rawTicksRetentionHours: 0,
        deadLetterRelayMs: 500,
      });
      const first = await produceMixed(kafka, topics.ticks, 0, 40, 10);
      await waitFor(
        "the first batches committed, their letters recorded and a failed publish attempt counted",
        async () => {
          const rows = await listOutbox(database, topics.ticks);
          return (
            (await countFactRows(database)) === first.good &&
            rows.length === first.bad &&
            rows.every((r) => !r.published && r.attempts >= 1 && r.last_error !== null)
          );
        },
        90_000,
      );

      // The pipeline is not held up: more events commit while the earlier letters still wait.
      const second = await produceMixed(kafka, topics.ticks, 40, 120, 10);
      await waitFor(
        "the second wave committed",
        async () => (await countFactRows(database)) === first.good + second.good,
      );
      const waiting = await listOutbox(database, topics.ticks);
      expect(waiting).toHaveLength(first.bad + second.bad);
      expect(waiting.filter((r) => r.published)).toEqual([]);
      const unpublished = await worker.registry
        .getSingleMetric("tickstream_stream_dead_letters_unpublished")!
        .get();
      expect(unpublished.values[0]?.value).toBeGreaterThanOrEqual(first.bad);

      await ensureTopics(admin, [{ topic: topics.ticksDlq, numPartitions: 1 }]);
      const rows = await waitFor(
        "every letter published once the topic exists",
        async () => {
          const rows = await listOutbox(database, topics.ticks);
          return rows.every((r) => r.published) ? rows : null;
        },
        90_000,
      );
      const dlq = await readTopicToEnd(kafka, topics.ticksDlq);
      expect(dlq.map(coordinatesOf).sort()).toEqual(rows.map((r) => r.coordinates).sort());
    } finally {
      await admin.disconnect();
    }
  });

  describe("the relay", () => {
    let producer: Producer;

    beforeAll(async () => {
      producer = createProducer(kafka, { idempotent: true });
      await producer.connect();
    });

    afterAll(async () => {
      await runCleanup("disconnecting the relay's producer", () => producer?.disconnect());
    });

    /** Records one bad event per offset in `offsets` of partition 0 of `topic`, as a batch would. */
    async function recordLetters(topic: string, offsets: number[]): Promise<void> {
      const handler = createTickBatchHandler({
        db: database.db,
        logger: testLogger,
        clock: Date.now,
        config: {
          groupId: uniqueId("outbox"),
          windows: [5],
          finalGraceMs: 30_000,
          defaultTimeZone: "America/New_York",
          landRawTicks: false,
          futureToleranceMs: 60_000,
          ...DEFAULT_STREAM_SYMBOL_SETTINGS,
        },
      });
      const messages: InMessage[] = offsets.map((offset) => ({
        partition: 0,
        offset,
        key: `K${offset}`,
        value: Buffer.from(`not json ${offset}`),
        headers: {},
        timestamp: 0,
      }));
      const result = await handler.handleBatch({ topic, partition: 0, messages });
      expect(result).toMatchObject({ kind: "applied", deadLettered: offsets.length });
    }

    it("re-sends a letter whose send was acknowledged but whose mark did not commit, with the same source coordinates", async () => {
      const topics = await createTestTopics(1);
      await recordLetters(topics.ticks, [0, 1, 2]);
      // The crash window: the broker acknowledged, then marking the rows published fails (as if the
      // process died or PostgreSQL went away before the commit).
      await database.adminDb.$client.query(`
        create sequence fail_mark_once;
        create function fail_first_mark() returns trigger language plpgsql security definer as $$
        begin
          if new.published_at is not null and nextval('fail_mark_once') = 1 then
            raise exception 'injected failure between the send and the mark';
          end if;
          return new;
        end $$;
        create trigger fail_first_mark before update on dead_letters
          for each row execute function fail_first_mark();`);
      try {
        const relay = createDeadLetterRelay({
          db: database.db,
          producer,
          topic: topics.ticksDlq,
          logger: testLogger,
          clock: Date.now,
        });
        expect(await relay.drain()).toBe(0);
        const afterCrash = await listOutbox(database, topics.ticks);
        expect(afterCrash.map((r) => r.published)).toEqual([false, false, false]);
        const sentOnce = await readTopicToEnd(kafka, topics.ticksDlq);
        expect(sentOnce.map(coordinatesOf)).toEqual(afterCrash.map((r) => r.coordinates));

        expect(await relay.drain()).toBe(3);
        const rows = await listOutbox(database, topics.ticks);
        expect(rows.every((r) => r.published)).toBe(true);
        const dlq = await readTopicToEnd(kafka, topics.ticksDlq);
        // At least once on the topic: each letter twice, identical, so a consumer keyed on the source
        // coordinates keeps exactly the rows of PostgreSQL.
        expect(dlq).toHaveLength(6);
        const copies = new Map<string, ReadMessage[]>();
        for (const m of dlq) copies.set(coordinatesOf(m), [...(copies.get(coordinatesOf(m)) ?? []), m]);
        expect([...copies.keys()]).toEqual(rows.map((r) => r.coordinates));
        for (const [coordinates, [a, b]] of copies) {
          expect(b, coordinates).toBeDefined();
          expect({ key: b!.key, value: b!.value, headers: b!.headers }).toEqual({
            key: a!.key,
            value: a!.value,
            headers: a!.headers,
          });
        }
        expect(dlq[0]).toMatchObject({ key: "K0", value: "not json 0" });
      } finally {
        await database.adminDb.$client.query(
          "drop trigger fail_first_mark on dead_letters; drop function fail_first_mark()",
        );
      }
    });

    it("retention deletes letters published before the cutoff and never an unpublished one, however old", async () => {
      const topics = await createTestTopics(1);
      await recordLetters(topics.ticks, [0, 1, 2, 3]);
      const day = 24 * 3_600_000;
      // 0: published 8 days ago; 1: published 6 days ago; 2: failed 30 days ago, never published; 3: new.
      await database.db.$client.query(
        `update dead_letters set failed_at = now() - interval '30 days',
                published_at = case source_offset when 0 then now() - interval '8 days'
                                                  when 1 then now() - interval '6 days' end
          where source_topic = $1 and source_offset in (0, 1, 2)`,
        [topics.ticks],
      );
      const deleted = await deleteDeadLettersPublishedBefore(
        database.db,
        Date.now() - DEAD_LETTER_RETENTION_MS,
      );
      expect(DEAD_LETTER_RETENTION_MS).toBe(7 * day);
      expect(deleted).toBe(1);
      const left = await listOutbox(database, topics.ticks);
      expect(left.map((r) => [r.coordinates.split("/").at(-1), r.published])).toEqual([
        ["1", true],
        ["2", false],
        ["3", false],
      ]);
      await database.db.$client.query("delete from dead_letters where source_topic = $1", [topics.ticks]);
    });

    it("holds no transaction while it waits for the broker's acknowledgement", async () => {
      const topics = await createTestTopics(1);
      await recordLetters(topics.ticks, [0, 1, 2]);
      const relayDb = createDb(database.url, { max: 2, applicationName: "dead-letter-relay-test" });
      // What the relay's connections hold while a send waits (one would keep the whole cluster from
      // pruning row versions), seen from the send itself.
      let duringSend: { state: string; xid: string | null; xmin: string | null; locked: boolean }[] = [];
      const watched: Producer = Object.create(producer) as Producer;
      watched.send = async (record) => {
        const { rows } = await database.adminDb.$client.query<(typeof duringSend)[number]>(
          `select state, backend_xid as xid, backend_xmin as xmin,
                  exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.granted) as locked
             from pg_stat_activity a where datname = current_database() and application_name = 'dead-letter-relay-test'`,
        );
        duringSend = rows;
        return producer.send(record);
      };
      try {
        const relay = createDeadLetterRelay({
          db: relayDb,
          producer: watched,
          topic: topics.ticksDlq,
          logger: testLogger,
          clock: Date.now,
        });
        expect(await relay.drain()).toBe(3);
        expect(duringSend).toEqual([{ state: "idle", xid: null, xmin: null, locked: true }]);
        expect((await listOutbox(database, topics.ticks)).map((r) => r.published)).toEqual([
          true,
          true,
          true,
        ]);
      } finally {
        await closeDb(relayDb);
        await database.db.$client.query("delete from dead_letters where source_topic = $1", [topics.ticks]);
      }
    });

    it("publishes each letter once and in recording order when two relays drain at the same time", async () => {
      const topics = await createTestTopics(1);
      const offsets = Array.from({ length: 25 }, (_, i) => i);
      await recordLetters(topics.ticks, offsets);
      const relays = [1, 2].map(() =>
        createDeadLetterRelay({
          db: database.db,
          producer,
          topic: topics.ticksDlq,
          logger: testLogger,
          clock: Date.now,
          batchSize: 4,
        }),
      );
      const published = await Promise.all(relays.map((r) => r.drain()));
      // The relay that lost the lock publishes nothing; a later pass of either finds nothing left.
      const leftOver = await Promise.all(relays.map((r) => r.drain()));
      expect(published.reduce((a, b) => a + b, 0) + leftOver.reduce((a, b) => a + b, 0)).toBe(25);
      const dlq = await readTopicToEnd(kafka, topics.ticksDlq);
      expect(dlq.map((m) => Number(m.headers[DLQ_HEADERS.sourceOffset]))).toEqual(offsets);
    });
  });
});
