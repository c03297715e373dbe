import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";

import { closeDb, createDb, type Db } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { setAppState } from "@/lib/db/queries/app-state";
import { saveIngestCursors } from "@/lib/db/queries/ingest-cursors";
import { insertSymbols } from "@/lib/db/queries/symbols";
import type { TickV1 } from "@/lib/events/tick-v1";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";

import { DEFAULT_STREAM_SYMBOL_SETTINGS, testLogger, uniqueId } from "./helpers";

const MIN = 60_000;
const REPAIR = "0004_repair_future_replay_bars";

type Journal = { entries: { tag: string }[] };

/** A copy of drizzle/ whose journal stops before `tag`: migrating with it stops at the previous migration. */
function copyMigrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  cpSync(path.resolve("drizzle"), dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  const index = journal.entries.findIndex((e) => e.tag === tag);
  expect(index).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }));
  return dir;
}

function bars(symbol: string, from: number, count: number): TickV1[] {
  return Array.from({ length: count }, (_, i) => {
    const close = 100 + Math.sin(i / 7) * 3;
    return {
      v: 1,
      symbol,
      ts: from + i * MIN,
      open: close - 0.2,
      high: close + 0.5,
      low: close - 0.5,
      close,
      volume: 1_000 + i,
      source: "replay",
      producedAt: from,
    };
  });
}

/** Rows of one symbol in every table the repair may touch, as comparable text. */
async function dumpSymbol(db: Db, symbol: string): Promise<Record<string, string[]>> {
  const tables = {
    fact_prices: "select f::text as row from fact_prices f where symbol = $1 order by ts",
    daily_stats: "select d::text as row from daily_stats d where symbol = $1 order by trade_date",
    kpi_snapshots:
      "select k::text as row from kpi_snapshots k where symbol = $1 order by window_minutes, window_start",
    raw_ticks: "select r.ts::text as row from raw_ticks r where symbol = $1 order by kafka_offset",
    ingest_cursors:
      "select c.last_ts::text || ' ' || c.replay_seq as row from ingest_cursors c where symbol = $1",
    last_tick_at: "select coalesce(last_tick_at::text, 'null') as row from symbols where symbol = $1",
  };
  const out: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(tables))
    out[name] = (await db.$client.query<{ row: string }>(sql, [symbol])).rows.map((r) => r.row);
  return out;
}

describe("migration 0004: repair of future-dated bars left by the earlier replay", () => {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `tst_${Math.floor(Date.now() / 1000)}_${uniqueId("mig")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let db: Db | undefined;
  let migrations = "";

  afterAll(async () => {
    if (db) await closeDb(db);
    rmSync(migrations, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await admin.end();
  });

  it("removes every row of the symbols with future bars, their cursors and the old clocks, and nothing else", async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
    await admin.end();
    migrations = copyMigrationsBefore(REPAIR);
    await migrateDatabase(url.toString(), { migrationsFolder: migrations });
    db = createDb(url.toString(), { max: 2 });
    const applied = await db.$client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(applied.rows[0]).toEqual({ n: 4 });

    // What the earlier replay left: AHEAD ran 3 days past the clock; ONTIME stops at the current
    // minute; EDGE's newest bar is the next minute (within the 2-minute tolerance of a running feed).
    const current = Math.floor(Date.now() / MIN) * MIN;
    await insertSymbols(
      db,
      ["AHEAD", "ONTIME", "EDGE"].map((symbol) => ({ symbol, source: "replay" as const })),
    );
    const history = {
      AHEAD: bars("AHEAD", current - 2 * 24 * 60 * MIN, 5 * 24 * 60),
      ONTIME: bars("ONTIME", current - 2 * 24 * 60 * MIN, 2 * 24 * 60 + 1),
      EDGE: bars("EDGE", current - 600 * MIN, 602),
    };
    const handler = createTickBatchHandler({
      db,
      logger: testLogger,
      clock: () => Date.parse("2100-01-01T00:00:00Z"), // the old stream worker had no future check
      config: {
        groupId: "repair-test",
        windows: [5, 15, 60],
        finalGraceMs: 30_000,
        defaultTimeZone: "America/New_York",
        landRawTicks: true,
        futureToleranceMs: 60_000,
        ...DEFAULT_STREAM_SYMBOL_SETTINGS,
      },
    });
    const all = Object.values(history).flat();
    for (let offset = 0; offset < all.length; offset += 2_000) {
      const messages = all.slice(offset, offset + 2_000).map((tick, i) => ({
        partition: 0,
        offset: offset + i,
        key: tick.symbol,
        value: Buffer.from(JSON.stringify(tick)),
        headers: {},
        timestamp: 0,
      }));
      const result = await handler.handleBatch({ topic: "market.ticks", partition: 0, messages });
      expect(result).toMatchObject({ kind: "applied", deadLettered: 0 });
    }
    await saveIngestCursors(
      db,
      Object.entries(history).map(([symbol, ticks]) => ({
        symbol,
        source: "replay",
        lastTs: ticks.at(-1)!.ts,
        replaySeq: ticks.length - 1,
      })),
    );
    await setAppState(db, "replay.clock", { anchorDate: "2026-11-27", position: 12_345 });
    await setAppState(db, "synthetic.clock.42", { startTs: current, position: 99_999 });
    await setAppState(db, "symbols.seeded", true);

    const before = {
      AHEAD: await dumpSymbol(db, "AHEAD"),
      ONTIME: await dumpSymbol(db, "ONTIME"),
      EDGE: await dumpSymbol(db, "EDGE"),
    };
    for (const dump of Object.values(before))
      for (const [table, rows] of Object.entries(dump)) expect(rows.length, table).toBeGreaterThan(0);
    const offsetsBefore = await db.$client.query("select * from stream_offsets");

    await migrateDatabase(url.toString());

    const after = {
      AHEAD: await dumpSymbol(db, "AHEAD"),
      ONTIME: await dumpSymbol(db, "ONTIME"),
      EDGE: await dumpSymbol(db, "EDGE"),
    };
    expect(after.AHEAD).toEqual({
      fact_prices: [],
      daily_stats: [],
      kpi_snapshots: [],
      raw_ticks: [],
      ingest_cursors: [],
      last_tick_at: ["null"],
    });
    expect(after.ONTIME).toEqual(before.ONTIME);
    expect(after.EDGE).toEqual(before.EDGE);
    const state = await db.$client.query<{ key: string }>("select key from app_state order by key");
    expect(state.rows.map((r) => r.key)).toEqual(["symbols.seeded"]);
    const symbols = await db.$client.query<{ symbol: string }>("select symbol from symbols order by symbol");
    expect(symbols.rows.map((r) => r.symbol)).toEqual(["AHEAD", "EDGE", "ONTIME"]);
    expect((await db.$client.query("select * from stream_offsets")).rows).toEqual(offsetsBefore.rows);
    const future = await db.$client.query(
      "select 1 from fact_prices where ts > now() + interval '2 minutes' union all select 1 from kpi_snapshots where window_start > now() + interval '2 minutes'",
    );
    expect(future.rowCount).toBe(0);
  });
});
