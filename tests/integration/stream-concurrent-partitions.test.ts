import { afterAll, describe, expect, it } from "vitest";

import type { TickV1 } from "@/lib/events/tick-v1";
import type { InMessage } from "@/lib/kafka/messages";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";

import {
  createTestDatabase,
  DEFAULT_STREAM_SYMBOL_SETTINGS,
  registerTestSymbols,
  testLogger,
  type TestDatabase,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "QQQ"];
const WINDOWS = [5, 15, 60];
const NOW = Date.parse("2030-01-01T00:00:00Z");
const PARTITIONS = 3;

/**
 * Feeds each partition's events in batches of `batchSize`, all partitions at once (the worker consumes
 * partitions concurrently), through one handler whose memory holds `maxCachedSymbols` symbols.
 */
async function feedPartitionsAtOnce(
  database: TestDatabase,
  partitions: TickV1[][],
  options: { batchSize: number; maxCachedSymbols: number; withKeys: boolean },
): Promise<void> {
  await registerTestSymbols(database.db, SYMBOLS);
  const handler = createTickBatchHandler({
    db: database.db,
    logger: testLogger,
    clock: () => NOW,
    config: {
      groupId: "concurrent-test",
      windows: WINDOWS,
      finalGraceMs: 30_000,
      defaultTimeZone: "America/New_York",
      landRawTicks: true,
      futureToleranceMs: 60_000,
      ...DEFAULT_STREAM_SYMBOL_SETTINGS,
      maxCachedSymbols: options.maxCachedSymbols,
    },
  });
  await Promise.all(
    partitions.map(async (events, partition) => {
      for (let offset = 0; offset < events.length; offset += options.batchSize) {
        const messages: InMessage[] = events.slice(offset, offset + options.batchSize).map((tick, j) => ({
          partition,
          offset: offset + j,
          key: options.withKeys ? tick.symbol : null,
          value: Buffer.from(JSON.stringify(tick)),
          headers: {},
          timestamp: 0,
        }));
        const result = await handler.handleBatch({ topic: "market.ticks", partition, messages });
        expect(result).toMatchObject({ kind: "applied", deadLettered: 0 });
      }
    }),
  );
}

describe("batches of different partitions applied at once", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });
  const ticks = getRecordedTicks(SYMBOLS, ["2026-03-17"]).sort(
    (a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol),
  );

  it("symbols keyed to partitions, memory smaller than the symbols: every row equals the direct computation", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const partitions: TickV1[][] = Array.from({ length: PARTITIONS }, () => []);
    for (const tick of ticks) partitions[SYMBOLS.indexOf(tick.symbol) % PARTITIONS]!.push(tick);
    await feedPartitionsAtOnce(database, partitions, { batchSize: 40, maxCachedSymbols: 2, withKeys: true });
    expect(await diffAgainstReference(database.db, ticks, WINDOWS)).toEqual([]);
  });

  it("events without a key bring one symbol to several partitions: its batches wait for each other, rows still exact", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    // Round robin: every symbol's bars are spread over all partitions, each bar sent once.
    const partitions: TickV1[][] = Array.from({ length: PARTITIONS }, () => []);
    ticks.forEach((tick, i) => partitions[i % PARTITIONS]!.push(tick));
    await feedPartitionsAtOnce(database, partitions, {
      batchSize: 25,
      maxCachedSymbols: 1_000,
      withKeys: false,
    });
    expect(await diffAgainstReference(database.db, ticks, WINDOWS)).toEqual([]);
  });
});
