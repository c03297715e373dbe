import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { getTransactionClient, type DbOrTx } from "@/lib/db/client";
import { buildDailyStatsUpsert } from "@/lib/db/queries/daily-stats";
import { buildFactPricesUpsert } from "@/lib/db/queries/fact-prices";
import { buildKpiSnapshotsUpsert } from "@/lib/db/queries/kpi-snapshots";
import { executeAsOneStatement } from "@/lib/db/queries/one-statement";
import { buildRawTicksInsert, type LandedTick } from "@/lib/db/queries/raw-ticks";
import { buildStreamOffsetSave, lockStreamOffset } from "@/lib/db/queries/stream-offsets";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";

import { createTestDatabase, type TestDatabase } from "./helpers";

const M = 60_000;
const TS = Date.parse("2026-03-12T14:00:00Z");
const KEY = { consumerGroup: "one-statement", topic: "market.ticks", partition: 0 };

function bar(symbol: string, i: number, close = 10.5 + i): FactBar {
  return {
    symbol,
    ts: TS + i * M,
    tradeDate: "2026-03-12",
    open: 10 + i,
    high: Math.max(11 + i, close),
    low: Math.min(9 + i, close),
    close,
    volume: 100 + i,
    ma5: null,
    ma20: null,
    ema20: null,
    vwap: null,
    isFinal: false,
  };
}

function day(symbol: string, close: number): DailyStat {
  const high = Math.max(12, close);
  const low = Math.min(9, close);
  return {
    symbol,
    tradeDate: "2026-03-12",
    open: 10,
    high,
    low,
    close,
    volume: 1_000,
    prevClose: 10,
    changePct: ((close - 10) / 10) * 100,
    range: high - low,
    rangePct: ((high - low) / low) * 100,
    vwap: 10.5,
    barCount: 2,
    firstTs: TS,
    lastTs: TS + M,
  };
}

function windowOf(symbol: string, gainPct: number): WindowKpi {
  return {
    symbol,
    windowMinutes: 5,
    windowStart: TS,
    windowEnd: TS + 5 * M,
    avgPrice: 10.5,
    vwap: 10.5,
    totalVolume: 500,
    gainPct,
    firstOpen: 10,
    lastClose: 10 * (1 + gainPct / 100),
    high: 12,
    low: 9,
    barCount: 5,
  };
}

function landed(symbol: string, offset: number, close: number): LandedTick {
  return {
    topic: KEY.topic,
    partition: KEY.partition,
    offset,
    tick: {
      v: 1,
      symbol,
      ts: TS,
      open: 10,
      high: 12,
      low: 9,
      close,
      volume: 100,
      source: "replay",
      producedAt: TS + 1_000,
    },
  };
}

/** Counts the statements sent on a transaction's connection (each one a round trip), by drizzle or not. */
function counting(tx: DbOrTx): { tx: DbOrTx; sent: () => number } {
  // A pooled connection may be spied on already (spyOn returns the same spy): count from here.
  const query = vi.spyOn(getTransactionClient(tx), "query");
  const before = query.mock.calls.length;
  return { tx, sent: () => query.mock.calls.length - before };
}

/** The stream worker writes a batch's rows and its next offset with executeAsOneStatement. */
describe("executeAsOneStatement", () => {
  let database: TestDatabase;
  const readOne = async (query: ReturnType<typeof sql>) =>
    (await database.adminDb.execute(query)).rows[0] as Record<string, unknown>;
  const count = async (
    table: "fact_prices" | "daily_stats" | "kpi_snapshots" | "raw_ticks",
    symbol: string,
  ) =>
    Number(
      (await readOne(sql`select count(*) as n from ${sql.identifier(table)} where symbol = ${symbol}`)).n,
    );
  const storedOffset = async () =>
    Number(
      (await readOne(sql`select next_offset from stream_offsets where consumer_group = ${KEY.consumerGroup}`))
        .next_offset,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    await lockStreamOffset(database.db, KEY, 0);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("writes every table in one statement (one round trip), upserts included, and skips the empty ones", async () => {
    await database.db.transaction(async (outer) => {
      const { tx, sent } = counting(outer);
      await executeAsOneStatement(tx, [
        buildFactPricesUpsert([bar("ONE", 0), bar("ONE", 1)]),
        buildDailyStatsUpsert([]),
        buildDailyStatsUpsert([day("ONE", 11.5)]),
        buildKpiSnapshotsUpsert([windowOf("ONE", 1.5)]),
        buildRawTicksInsert([landed("ONE", 0, 10.5), landed("ONE", 1, 11.5)]),
        buildStreamOffsetSave(tx, KEY, 2),
      ]);
      expect(sent()).toBe(1);
    });
    expect(await count("fact_prices", "ONE")).toBe(2);
    expect(await count("daily_stats", "ONE")).toBe(1);
    expect(await count("kpi_snapshots", "ONE")).toBe(1);
    expect(await count("raw_ticks", "ONE")).toBe(2);
    expect(await storedOffset()).toBe(2);
    // Timestamps go as epoch ms (no Date per row) and come back as the same instants.
    const instants = await readOne(sql`select
      (select extract(epoch from ts) * 1000 from fact_prices where symbol = 'ONE' order by ts desc limit 1) as bar_ts,
      (select extract(epoch from window_start) * 1000 from kpi_snapshots where symbol = 'ONE') as window_start,
      (select extract(epoch from window_end) * 1000 from kpi_snapshots where symbol = 'ONE') as window_end,
      (select extract(epoch from ts) * 1000 from raw_ticks where symbol = 'ONE' and kafka_offset = 0) as tick_ts,
      (select extract(epoch from produced_at) * 1000 from raw_ticks where symbol = 'ONE' and kafka_offset = 0) as produced_at`);
    expect(Object.values(instants).map(Number)).toEqual([
      TS + M,
      TS,
      TS + 5 * M,
      TS,
      landed("ONE", 0, 10.5).tick.producedAt,
    ]);

    // Again, revising a bar, the day and the window, with a replayed landed event: the upserts update,
    // the landing keeps the event it had (on conflict do nothing).
    await database.db.transaction(async (outer) => {
      const { tx, sent } = counting(outer);
      await executeAsOneStatement(tx, [
        buildFactPricesUpsert([bar("ONE", 1, 12.25)]),
        buildDailyStatsUpsert([day("ONE", 12.25)]),
        buildKpiSnapshotsUpsert([windowOf("ONE", -2.5)]),
        buildRawTicksInsert([landed("ONE", 1, 99)]),
        buildStreamOffsetSave(tx, KEY, 3),
      ]);
      expect(sent()).toBe(1);
    });
    const window = await readOne(sql`select gain_pct from kpi_snapshots where symbol = 'ONE'`);
    expect(Number(window.gain_pct)).toBe(-2.5);
    const raw = await readOne(sql`select close from raw_ticks where symbol = 'ONE' and kafka_offset = 1`);
    expect(Number(raw.close)).toBe(11.5);
    expect(await count("raw_ticks", "ONE")).toBe(2);
    const stored = await readOne(
      sql`select close from fact_prices where symbol = 'ONE' and ts = ${new Date(TS + M).toISOString()}`,
    );
    expect(Number(stored.close)).toBe(12.25);
    const storedDay = await readOne(sql`select close from daily_stats where symbol = 'ONE'`);
    expect(Number(storedDay.close)).toBe(12.25);
    expect(await storedOffset()).toBe(3);
  });

  it("sends a batch's statement as a prepared statement of its connection, one per set of tables written", async () => {
    const writes = (close: number, offset: number, tx: DbOrTx) => [
      buildFactPricesUpsert([bar("PREP", 0, close)]),
      buildKpiSnapshotsUpsert([windowOf("PREP", close)]),
      buildStreamOffsetSave(tx, KEY, offset),
    ];
    const prepared = async (tx: DbOrTx) =>
      (
        await tx.execute(
          sql`select name, statement from pg_prepared_statements where name like 'tickstream_write_%' order by name`,
        )
      ).rows as { name: string; statement: string }[];
    // One transaction, so one connection: both runs and the read see the same session's statements.
    await database.db.transaction(async (tx) => {
      const before = await prepared(tx);
      await executeAsOneStatement(tx, writes(11, 4, tx));
      await executeAsOneStatement(tx, writes(13, 5, tx));
      const after = await prepared(tx);
      const added = after.filter((p) => !before.some((b) => b.name === p.name));
      expect(added).toHaveLength(1);
      expect(added[0]!.statement).toMatch(/^with "w1" as \(insert into "fact_prices"/);
      // Another set of tables is another statement.
      await executeAsOneStatement(tx, [
        buildDailyStatsUpsert([day("PREP", 13)]),
        buildStreamOffsetSave(tx, KEY, 6),
      ]);
      expect((await prepared(tx)).length).toBe(after.length + 1);
    });
    // The second run's values, not the first's: the prepared statement binds each run's own.
    const stored = await readOne(sql`select close from fact_prices where symbol = 'PREP'`);
    expect(Number(stored.close)).toBe(13);
    const window = await readOne(sql`select gain_pct from kpi_snapshots where symbol = 'PREP'`);
    expect(Number(window.gain_pct)).toBe(13);
    expect(await storedOffset()).toBe(6);
  });

  it("leaves the batch's transaction with nothing written when one of its writes fails", async () => {
    // A bar without a close breaks a NOT NULL of fact_prices, in PostgreSQL.
    const broken = { ...bar("TWO", 0), close: null as unknown as number };
    const offset = await storedOffset();
    await expect(
      database.db.transaction(async (tx) => {
        await executeAsOneStatement(tx, [
          buildDailyStatsUpsert([day("TWO", 11)]),
          buildFactPricesUpsert([bar("TWO", 1), broken]),
          buildStreamOffsetSave(tx, KEY, 9),
        ]);
      }),
    ).rejects.toThrow();
    expect(await count("fact_prices", "TWO")).toBe(0);
    expect(await count("daily_stats", "TWO")).toBe(0);
    expect(await storedOffset()).toBe(offset);
  });

  it("runs a single write as it is and nothing for none", async () => {
    await executeAsOneStatement(database.db, []);
    await executeAsOneStatement(database.db, [null, buildFactPricesUpsert([])]);
    await executeAsOneStatement(database.db, [buildFactPricesUpsert([bar("SOLO", 0)])]);
    expect(await count("fact_prices", "SOLO")).toBe(1);
  });

  // Last in this file: it turns naming off for the rest of the process.
  it("fails once when its connection lost the prepared statement, then sends its statements unnamed", async () => {
    const writes = (close: number, offset: number, tx: DbOrTx) => [
      buildFactPricesUpsert([bar("LOST", 0, close)]),
      buildStreamOffsetSave(tx, KEY, offset),
    ];
    const named = async (tx: DbOrTx) =>
      Number(
        (
          (
            await tx.execute(
              sql`select count(*) as n from pg_prepared_statements where name like 'tickstream_write_%'`,
            )
          ).rows[0] as { n: string }
        ).n,
      );
    const offset = await storedOffset();
    const namingOff: unknown[] = [];
    const onNamingOff = (error: unknown) => namingOff.push(error);
    // As behind a pooler in transaction mode: the server connection no longer has what pg prepared on it.
    await expect(
      database.db.transaction(async (tx) => {
        await executeAsOneStatement(tx, writes(20, offset + 1, tx), onNamingOff);
        expect(namingOff).toEqual([]);
        await tx.execute(sql`deallocate all`);
        await executeAsOneStatement(tx, writes(21, offset + 2, tx), onNamingOff);
      }),
    ).rejects.toMatchObject({ code: "26000" });
    // Told once, with the error, that the process goes unnamed.
    expect(namingOff).toMatchObject([{ code: "26000" }]);
    expect(await storedOffset()).toBe(offset);
    await database.db.transaction(async (tx) => {
      const before = await named(tx);
      await executeAsOneStatement(tx, writes(22, offset + 3, tx), onNamingOff);
      expect(await named(tx)).toBe(before);
    });
    expect(namingOff).toHaveLength(1);
    const stored = await readOne(sql`select close from fact_prices where symbol = 'LOST'`);
    expect(Number(stored.close)).toBe(22);
    expect(await storedOffset()).toBe(offset + 3);
  });
});
