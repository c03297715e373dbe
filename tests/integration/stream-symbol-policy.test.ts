import { afterAll, describe, expect, it } from "vitest";

import { insertSymbols } from "@/lib/db/queries/symbols";
import { DLQ_HEADERS } from "@/lib/events/topics";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { createConsumer, createProducer, type KafkaClient } from "@/lib/kafka/client";
import type { RecordedDeadLetter } from "@/lib/db/queries/dead-letters";
import { decodeHeaders } from "@/lib/events/header-value";
import { sendJsonBatch } from "@/lib/kafka/messages";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";

import {
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  DEFAULT_STREAM_SYMBOL_SETTINGS,
  registerTestSymbols,
  runCleanup,
  startTestStreamWorker,
  testLogger,
  toTickInMessage,
  uniqueId,
  waitFor,
  type TestDatabase,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference, dumpKpiTables } from "./support/tables";

const NOW = Date.parse("2030-01-01T00:00:00Z");

type DeadLetter = { key: string; reasonClass: string; reason: string };

/** The given recorded ticks relabelled as `symbol`, prices scaled so that no two symbols share bars. */
function relabel(ticks: readonly TickV1[], symbol: string, scale = 1): TickV1[] {
  const r = (x: number) => Math.round(x * scale * 100) / 100;
  return ticks.map((t) => ({
    ...t,
    symbol,
    open: r(t.open),
    high: r(t.high),
    low: r(t.low),
    close: r(t.close),
  }));
}

async function produce(kafka: KafkaClient, topic: string, ticks: readonly TickV1[]): Promise<void> {
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  await sendJsonBatch(
    producer,
    topic,
    tickV1Schema,
    ticks.map((t) => ({ key: t.symbol, value: t })),
  );
  await producer.disconnect();
}

/** Reads the dead-letter topic from its start until `count` letters arrived. */
async function readDeadLetters(kafka: KafkaClient, topic: string, count: number): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  const consumer = createConsumer(kafka, { groupId: uniqueId("dlq") });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const headers = decodeHeaders(message.headers);
        letters.push({
          key: message.key?.toString() ?? "",
          reasonClass: headers[DLQ_HEADERS.reasonClass] ?? "",
          reason: headers[DLQ_HEADERS.reason] ?? "",
        });
        return Promise.resolve();
      },
    });
    await waitFor(`${count} dead letters`, () => letters.length >= count, 30_000);
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

const storedOffsets = async (database: TestDatabase) =>
  Number(
    (
      await database.db.$client.query<{ n: string }>(
        "select coalesce(sum(next_offset), 0) as n from stream_offsets",
      )
    ).rows[0]?.n,
  );

const storedSymbols = async (database: TestDatabase, table: string) =>
  (
    await database.db.$client.query<{ symbol: string }>(
      `select distinct symbol from ${table} order by symbol`,
    )
  ).rows.map((r) => r.symbol);

describe("the stream worker's symbol policy", () => {
  const databases: TestDatabase[] = [];
  const workers: StreamWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => runCleanup("stopping a stream worker", () => w.stop())));
    await Promise.all(databases.map((d) => runCleanup("dropping a test database", () => d.drop())));
  });

  it("dead-letters events of unregistered and removed symbols (unknown_symbol), storing and registering nothing of them, while registered symbols in the same batches are stored; adding a symbol accepts its next events", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const topics = await createTestTopics(2);
    const kafka = createTestKafka();
    await registerTestSymbols(database.db, ["AAPL", "MSFT"]);
    await insertSymbols(database.db, [{ symbol: "GONE", source: "external", status: "removed" }]);
    const base = getRecordedTicks(["AAPL"], ["2026-03-16"]).slice(0, 30);
    const known = [...base, ...relabel(base, "MSFT", 0.5)];
    const unknown = [...relabel(base, "NEW1", 2), ...relabel(base, "NEW2", 3), ...relabel(base, "GONE", 4)];
    // Interleaved by minute: every batch mixes registered and refused symbols.
    const all = [...known, ...unknown].sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol));
    // A refusal is remembered for 10 minutes here: only the symbols_changed notification can lift it.
    const worker = await startTestStreamWorker(database, topics, {
      windows: [5],
      databaseUrl: database.url,
      refusalTtlMs: 600_000,
    });
    workers.push(worker);
    await produce(kafka, topics.ticks, all);
    await waitFor("every event handled", async () => (await storedOffsets(database)) === all.length);

    expect(await storedSymbols(database, "fact_prices")).toEqual(["AAPL", "MSFT"]);
    expect(await storedSymbols(database, "raw_ticks")).toEqual(["AAPL", "MSFT"]);
    expect(await storedSymbols(database, "daily_stats")).toEqual(["AAPL", "MSFT"]);
    expect(await storedSymbols(database, "kpi_snapshots")).toEqual(["AAPL", "MSFT"]);
    expect((await database.db.$client.query("select count(*)::int as n from fact_prices")).rows[0]).toEqual({
      n: known.length,
    });
    expect(
      (await database.db.$client.query("select symbol, status from symbols order by symbol")).rows,
    ).toEqual([
      { symbol: "AAPL", status: "active" },
      { symbol: "GONE", status: "removed" },
      { symbol: "MSFT", status: "active" },
    ]);
    await waitFor("the dead letters counted", () => worker.metrics().deadLettered === unknown.length);

    const letters = await readDeadLetters(kafka, topics.ticksDlq, unknown.length);
    expect(letters).toHaveLength(unknown.length);
    expect(new Set(letters.map((l) => l.reasonClass))).toEqual(new Set(["unknown_symbol"]));
    const bySymbol = (symbol: string) => letters.filter((l) => l.key === symbol);
    for (const symbol of ["NEW1", "NEW2"]) {
      expect(bySymbol(symbol)).toHaveLength(base.length);
      expect(bySymbol(symbol)[0]!.reason).toBe(
        `symbol ${symbol} is not registered: add it in /admin to accept its bars, or set UNKNOWN_SYMBOLS=register to register symbols first seen on the topic`,
      );
    }
    expect(bySymbol("GONE")).toHaveLength(base.length);
    expect(bySymbol("GONE")[0]!.reason).toMatch(/GONE was removed in \/admin/);

    // An operator registers NEW1: the worker forgets its refusal on the notification.
    await registerTestSymbols(database.db, ["NEW1"]);
    const later = relabel(getRecordedTicks(["AAPL"], ["2026-03-16"]).slice(30, 35), "NEW1", 2);
    await waitFor(
      "NEW1's events after its registration stored",
      async () => {
        await produce(kafka, topics.ticks, later);
        const stored = await storedSymbols(database, "fact_prices");
        return stored.includes("NEW1");
      },
      30_000,
      2_000,
    );
    expect(await storedSymbols(database, "fact_prices")).toEqual(["AAPL", "MSFT", "NEW1"]);
  });

  it("register mode registers unknown symbols as external up to MAX_REGISTERED_SYMBOLS and dead-letters the rest (symbol_limit)", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const topics = await createTestTopics(3);
    const kafka = createTestKafka();
    await registerTestSymbols(database.db, ["AAPL"]);
    await insertSymbols(database.db, [{ symbol: "GONE", source: "external", status: "removed" }]);
    const base = getRecordedTicks(["AAPL"], ["2026-03-16"]).slice(0, 10);
    const newcomers = Array.from({ length: 6 }, (_, i) => `NEW${i + 1}`);
    const ticks = [
      ...base,
      ...newcomers.flatMap((s, i) => relabel(base, s, 1 + i / 10)),
      ...relabel(base, "GONE", 3),
    ];
    const worker = await startTestStreamWorker(database, topics, {
      windows: [5],
      // AAPL plus three newcomers reach the limit; the removed GONE does not count and stays removed.
      symbolPolicy: { unknownSymbols: "register", maxRegisteredSymbols: 4 },
    });
    workers.push(worker);
    await produce(kafka, topics.ticks, ticks);
    await waitFor("every event handled", async () => (await storedOffsets(database)) === ticks.length);

    const rows = (
      await database.db.$client.query<{ symbol: string; source: string; status: string }>(
        "select symbol, source, status from symbols where symbol like 'NEW%' order by symbol",
      )
    ).rows;
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ source: "external", status: "active" });
    const registered = rows.map((r) => r.symbol);
    const refused = newcomers.filter((s) => !registered.includes(s));
    expect(await storedSymbols(database, "fact_prices")).toEqual(["AAPL", ...registered]);

    const letters = await readDeadLetters(kafka, topics.ticksDlq, (refused.length + 1) * base.length);
    expect(letters).toHaveLength((refused.length + 1) * base.length);
    for (const symbol of refused) {
      const own = letters.filter((l) => l.key === symbol);
      expect(own).toHaveLength(base.length);
      for (const letter of own) {
        expect(letter.reasonClass).toBe("symbol_limit");
        expect(letter.reason).toMatch(new RegExp(`${symbol} .*MAX_REGISTERED_SYMBOLS=4`));
      }
    }
    const gone = letters.filter((l) => l.key === "GONE");
    expect(gone.map((l) => l.reasonClass)).toEqual(base.map(() => "unknown_symbol"));
  });

  it("holds the registration limit exactly when several workers register at once", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const dead: RecordedDeadLetter[] = [];
    const handlers = [0, 1, 2].map((partition) => ({
      partition,
      handler: createTickBatchHandler({
        db: database.db,
        logger: testLogger,
        clock: () => NOW,
        config: {
          groupId: "limit-race",
          windows: [5],
          finalGraceMs: 30_000,
          defaultTimeZone: "America/New_York",
          landRawTicks: false,
          futureToleranceMs: 60_000,
          ...DEFAULT_STREAM_SYMBOL_SETTINGS,
          symbolPolicy: { unknownSymbols: "register", maxRegisteredSymbols: 25 },
        },
        afterDeadLettersRecorded: (letters) => {
          dead.push(...letters);
          return Promise.resolve();
        },
      }),
    }));
    const bar = getRecordedTicks(["AAPL"], ["2026-03-16"]).slice(0, 1);
    // Three workers, each with batches of 10 new symbols of its own partition, all at once.
    for (let round = 0; round < 2; round++)
      await Promise.all(
        handlers.map(({ partition, handler }) =>
          handler.handleBatch({
            topic: "market.ticks",
            partition,
            messages: Array.from({ length: 10 }, (_, i) =>
              toTickInMessage(relabel(bar, `P${partition}R${round}N${i}`)[0]!, round * 10 + i, { partition }),
            ),
          }),
        ),
      );
    const { rows } = await database.db.$client.query<{ n: number }>("select count(*)::int as n from symbols");
    expect(rows[0]!.n).toBe(25);
    expect(dead).toHaveLength(60 - 25);
    expect(new Set(dead.map((d) => d.reasonClass))).toEqual(new Set(["symbol_limit"]));
    expect((await storedSymbols(database, "fact_prices")).length).toBe(25);
  });

  it("keeps no answer of a rolled-back batch or of one during which the symbol was forgotten", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const bars = getRecordedTicks(["AAPL"], ["2026-03-16"]).slice(0, 4);
    let onDeadLetters: () => Promise<void> = () => Promise.resolve();
    const makeHandler = (unknownSymbols: "reject" | "register") =>
      createTickBatchHandler({
        db: database.db,
        logger: testLogger,
        clock: () => NOW,
        config: {
          groupId: `answers-${unknownSymbols}`,
          windows: [5],
          finalGraceMs: 30_000,
          defaultTimeZone: "America/New_York",
          landRawTicks: false,
          futureToleranceMs: 60_000,
          ...DEFAULT_STREAM_SYMBOL_SETTINGS,
          symbolPolicy: { unknownSymbols, maxRegisteredSymbols: 100 },
          refusalTtlMs: 600_000,
        },
        afterDeadLettersRecorded: () => onDeadLetters(),
      });
    const count = async (sql: string, symbol: string) =>
      (await database.db.$client.query<{ n: number }>(sql, [symbol])).rows[0]!.n;

    // Register mode: the batch registers ROLL and fails at its dead letter (an invalid event): nothing
    // stays registered, and the retried batch registers it again and stores its bar.
    const register = makeHandler("register");
    const batch = {
      topic: "market.ticks",
      partition: 0,
      messages: [
        toTickInMessage(relabel(bars.slice(0, 1), "ROLL")[0]!, 0),
        { ...toTickInMessage(bars[0]!, 1), value: Buffer.from("{not json") },
      ],
    };
    onDeadLetters = () => Promise.reject(new Error("the dead-letter topic is away"));
    await expect(register.handleBatch(batch)).rejects.toThrow(/away/);
    expect(await count("select count(*)::int as n from symbols where symbol = $1", "ROLL")).toBe(0);
    onDeadLetters = () => Promise.resolve();
    expect((await register.handleBatch(batch)).kind).toBe("applied");
    expect(await count("select count(*)::int as n from symbols where symbol = $1", "ROLL")).toBe(1);
    expect(await count("select count(*)::int as n from fact_prices where symbol = $1", "ROLL")).toBe(1);

    // Reject mode: LATE is refused, and while that batch runs an operator registers it and its
    // notification arrives (forget). The refusal must not be remembered for the next batch.
    const reject = makeHandler("reject");
    const late = relabel(bars, "LATE");
    onDeadLetters = async () => {
      await registerTestSymbols(database.db, ["LATE"]);
      reject.forget("LATE");
    };
    await reject.handleBatch({
      topic: "market.ticks",
      partition: 1,
      messages: [toTickInMessage(late[0]!, 0, { partition: 1 })],
    });
    expect(await count("select count(*)::int as n from fact_prices where symbol = $1", "LATE")).toBe(0);
    onDeadLetters = () => Promise.reject(new Error("no dead letters expected"));
    await reject.handleBatch({
      topic: "market.ticks",
      partition: 1,
      messages: [toTickInMessage(late[1]!, 1, { partition: 1 })],
    });
    expect(await count("select count(*)::int as n from fact_prices where symbol = $1", "LATE")).toBe(1);
  });

  it("with room for 5 symbols' state (or 2,000 bars), 20 symbols give the tables of a run with room for all, and no more than 5 stay cached after a batch", async () => {
    const day = getRecordedTicks(
      ["AAPL", "AMZN", "GOOG", "META", "QQQ"],
      ["2026-03-16", "2026-03-17"],
    ).filter((t) => t.ts < Date.parse("2026-03-17T14:30:00Z"));
    const ticks = ["A", "B", "C", "D"].flatMap((suffix, k) =>
      ["AAPL", "AMZN", "GOOG", "META", "QQQ"].flatMap((symbol) =>
        relabel(
          day.filter((t) => t.symbol === symbol),
          `${symbol}.${suffix}`,
          1 + k / 10,
        ),
      ),
    );
    const symbols = [...new Set(ticks.map((t) => t.symbol))];
    expect(symbols).toHaveLength(20);
    const events = [...ticks].sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol));

    async function feed(capacity: number, maxCachedBars = DEFAULT_STREAM_SYMBOL_SETTINGS.maxCachedBars) {
      const database = await createTestDatabase();
      databases.push(database);
      await registerTestSymbols(database.db, symbols);
      const handler = createTickBatchHandler({
        db: database.db,
        logger: testLogger,
        clock: () => NOW,
        config: {
          groupId: "evict-test",
          windows: [5, 15, 60],
          finalGraceMs: 30_000,
          defaultTimeZone: "America/New_York",
          landRawTicks: false,
          futureToleranceMs: 60_000,
          ...DEFAULT_STREAM_SYMBOL_SETTINGS,
          maxCachedSymbols: capacity,
          maxCachedBars,
        },
        afterDeadLettersRecorded: () => Promise.reject(new Error("no dead letters expected")),
      });
      // Batches of 3 to 150 events: some touch fewer symbols than the capacity, most many more.
      const sizes = [3, 150, 40, 7, 90];
      let maxCachedAfterBatch = 0;
      for (let offset = 0, i = 0; offset < events.length; i++) {
        const size = sizes[i % sizes.length]!;
        const messages = events.slice(offset, offset + size).map((t, j) => toTickInMessage(t, offset + j));
        const result = await handler.handleBatch({ topic: "market.ticks", partition: 0, messages });
        expect(result.kind).toBe("applied");
        maxCachedAfterBatch = Math.max(maxCachedAfterBatch, handler.cachedSymbols);
        offset += size;
      }
      return {
        database,
        maxCachedAfterBatch,
        cachedAtEnd: handler.cachedSymbols,
        barsAtEnd: handler.cachedBars,
        evicted: handler.evictedSymbols,
      };
    }

    const small = await feed(5);
    const large = await feed(1_000);
    // The 20 states hold ≈ 8,000 bars by the end: a 2,000-bar bound evicts by weight alone.
    const fewBars = await feed(1_000, 2_000);
    expect(small.maxCachedAfterBatch).toBe(5);
    expect(fewBars.evicted).toBeGreaterThan(20);
    expect(fewBars.cachedAtEnd).toBeLessThan(20);
    expect(fewBars.barsAtEnd).toBeGreaterThan(0);
    expect(fewBars.barsAtEnd).toBeLessThanOrEqual(2_000);
    expect(large.barsAtEnd).toBeGreaterThan(2_000);
    expect(large.cachedAtEnd).toBe(20);
    expect(await dumpKpiTables(fewBars.database.db)).toEqual(await dumpKpiTables(large.database.db));
    expect(small.evicted).toBeGreaterThan(100);
    expect(large.evicted).toBe(0);
    expect(large.maxCachedAfterBatch).toBe(20);
    expect(await dumpKpiTables(small.database.db)).toEqual(await dumpKpiTables(large.database.db));
    expect(await diffAgainstReference(small.database.db, ticks, [5, 15, 60])).toEqual([]);
  });
});
