import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDb, createDb, getTransactionClient } from "@/lib/db/client";
import { copyRows } from "@/lib/db/queries/bulk-copy";
import {
  insertRawTicks,
  landRawTicks,
  MIN_COPY_ROWS,
  toRawTickRow,
  type LandedTick,
} from "@/lib/db/queries/raw-ticks";
import { rawTicks } from "@/lib/db/schema";

import { createTestDatabase, type TestDatabase } from "./helpers";

const TS = Date.parse("2026-03-12T14:00:00Z");

function landed(partition: number, offset: number, close: number, symbol = "BRK.B"): LandedTick {
  return {
    topic: "market.ticks",
    partition,
    offset,
    tick: {
      v: 1,
      symbol,
      ts: TS + offset * 60_000,
      open: 412.0625,
      high: 413.1,
      low: 411.9,
      close,
      volume: 2 ** 40 + offset,
      source: "yahoo",
      producedAt: TS + offset * 60_000 + 1_234,
    },
  };
}

/** The stream worker lands each batch's accepted events with landRawTicks, in the batch's transaction. */
describe("landRawTicks", () => {
  /** Copies any batch none of whose offsets has landed, however small. */
  const copyAlways = { minCopyRows: 1 };
  let database: TestDatabase;
  const rows = async (partition: number) =>
    (
      await database.adminDb.execute(sql`select topic, partition, kafka_offset::text as kafka_offset, symbol,
        (extract(epoch from ts) * 1000)::float8 as ts, open, high, low, close, volume::text as volume, source,
        (extract(epoch from produced_at) * 1000)::float8 as produced_at, received_at is not null as received
        from raw_ticks where partition = ${partition} order by kafka_offset`)
    ).rows;
  const asRow = ({ topic, partition, offset, tick }: LandedTick) => ({
    topic,
    partition,
    kafka_offset: String(offset),
    symbol: tick.symbol,
    ts: tick.ts,
    open: tick.open,
    high: tick.high,
    low: tick.low,
    close: tick.close === 0 ? 0 : tick.close, // -0 is stored as 0, as its text form always was
    volume: String(tick.volume),
    source: tick.source,
    produced_at: tick.producedAt,
    received: true,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("copies a batch none of whose offsets has landed, every column as sent, with nothing left to run", async () => {
    const batch = [landed(0, 10, 412.5), landed(0, 11, 0.1 + 0.2), landed(0, 12, -0)];
    const statement = await database.db.transaction((tx) => landRawTicks(tx, batch, copyAlways));
    expect(statement).toBeNull();
    expect(await rows(0)).toEqual(batch.map(asRow));
  });

  it("inserts a batch of fewer than MIN_COPY_ROWS events with the batch's other writes, and copies one of that many", async () => {
    const small = Array.from({ length: MIN_COPY_ROWS - 1 }, (_, i) => landed(7, 100 + i, 1 + i));
    const landedInTx = async (tx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) =>
      Number(
        (await tx.execute<{ n: string }>(sql`select count(*) as n from raw_ticks where partition = 7`))
          .rows[0]!.n,
      );
    await database.db.transaction(async (tx) => {
      const statement = await landRawTicks(tx, small);
      expect(statement).not.toBeNull();
      // Nothing copied: the batch's own connection sees no row of it yet.
      expect(await landedInTx(tx)).toBe(0);
      await tx.execute(statement!);
      expect(await landedInTx(tx)).toBe(small.length);
    });
    expect(await rows(7)).toEqual(small.map(asRow));
    const large = Array.from({ length: MIN_COPY_ROWS }, (_, i) => landed(8, 100 + i, 1 + i));
    expect(await database.db.transaction((tx) => landRawTicks(tx, large))).toBeNull();
    expect(await rows(8)).toEqual(large.map(asRow));
  });

  it("inserts a batch overlapping landed offsets instead, leaving the landed events as they were", async () => {
    // A landed offset at the batch's first offset, in its middle, or at its last: the range includes both ends.
    for (const [partition, landedOffset] of [
      [1, 20],
      [4, 21],
      [5, 22],
    ] as const) {
      await insertRawTicks(database.db, [landed(partition, landedOffset, 99)]);
      const batch = [landed(partition, 20, 1), landed(partition, 21, 2), landed(partition, 22, 3)];
      await database.db.transaction(async (tx) => {
        const statement = await landRawTicks(tx, batch, copyAlways);
        expect(statement).not.toBeNull();
        await tx.execute(statement!);
      });
      const expected = batch.map((t) => (t.offset === landedOffset ? landed(partition, t.offset, 99) : t));
      expect(await rows(partition)).toEqual(expected.map(asRow));
    }
  });

  it("copies on the batch's own connection: a rolled-back batch lands nothing, and its retry lands it", async () => {
    const batch = [landed(2, 30, 5), landed(2, 31, 6)];
    await expect(
      database.db.transaction(async (tx) => {
        expect(await landRawTicks(tx, batch, copyAlways)).toBeNull();
        throw new Error("the batch failed after landing");
      }),
    ).rejects.toThrow("the batch failed after landing");
    expect(await rows(2)).toEqual([]);
    expect(await database.db.transaction((tx) => landRawTicks(tx, batch, copyAlways))).toBeNull();
    expect(await rows(2)).toEqual(batch.map(asRow));
  });

  it("copyRows sends nothing when a value has no binary form, and a database handle has no connection of its own", async () => {
    const row = {
      topic: "market.ticks",
      partition: 3,
      kafkaOffset: 1,
      symbol: "X",
      ts: TS,
      open: 1,
      high: 1,
    };
    const odd = { ...row, low: 1, close: 1, volume: 1.5, source: "yahoo", producedAt: TS };
    expect(await database.db.transaction((tx) => copyRows(tx, rawTicks, [odd]))).toBe(false);
    expect(await rows(3)).toEqual([]);
    expect(() => getTransactionClient(database.db)).toThrow(/open transaction/);
  });

  it("a copy the server refuses fails its transaction and leaves the pooled connection usable", async () => {
    // One connection: the statement after the failed copy runs on the very client that sent it.
    const single = createDb(database.url, { max: 1 });
    try {
      const first = [landed(6, 40, 1)];
      expect(await single.transaction((tx) => landRawTicks(tx, first, copyAlways))).toBeNull();
      await expect(
        single.transaction((tx) =>
          copyRows(tx, rawTicks, [toRawTickRow(landed(6, 41, 2)), toRawTickRow(first[0]!)]),
        ),
      ).rejects.toThrow(/duplicate key/);
      expect(await rows(6)).toEqual(first.map(asRow));
      expect(await single.transaction((tx) => landRawTicks(tx, [landed(6, 41, 2)], copyAlways))).toBeNull();
      expect(await rows(6)).toEqual([first[0]!, landed(6, 41, 2)].map(asRow));
    } finally {
      await closeDb(single);
    }
  });
});
