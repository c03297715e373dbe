import { afterAll, describe, expect, it } from "vitest";

import type { TickV1 } from "@/lib/events/tick-v1";

import {
  createTestDatabase,
  createTestTickBatchHandler,
  toTickInMessage,
  registerTestSymbols,
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
  const handler = createTestTickBatchHandler(database, {
    now: NOW,
    config: {
      groupId: "concurrent-test",
      windows: WINDOWS,
      landRawTicks: true,
      maxCachedSymbols: options.maxCachedSymbols,
    },
  });
  await Promise.all(
    partitions.map(async (events, partition) => {
      for (let offset = 0; offset < events.length; offset += options.batchSize) {
        const messages = events
          .slice(offset, offset + options.batchSize)
          .map((tick, j) =>
            toTickInMessage(tick, offset + j, { partition, key: options.withKeys ? tick.symbol : null }),
          );
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

  it("a reset while a batch runs (a rebalance's) still gives its alert evaluation every changed symbol's state", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await registerTestSymbols(database.db, SYMBOLS);
    // The worker hands a batch over and fetches the next, so a rebalance's reset can come mid-batch.
    const seen: { symbol: string; bars: number | undefined }[] = [];
    const handler: ReturnType<typeof createTestTickBatchHandler> = createTestTickBatchHandler(database, {
      now: NOW,
      config: { groupId: "reset-test", windows: WINDOWS },
      evaluateAlerts: (_tx, changes, getState) => {
        handler.reset();
        for (const symbol of changes.keys()) seen.push({ symbol, bars: getState(symbol)?.bars.length });
        return Promise.resolve();
      },
    });
    const batch = ticks.slice(0, 50);
    const messages = batch.map((tick, offset) => toTickInMessage(tick, offset));
    await handler.handleBatch({ topic: "market.ticks", partition: 0, messages });
    expect(seen.map((s) => s.symbol).sort()).toEqual([...new Set(batch.map((t) => t.symbol))].sort());
    for (const { symbol, bars } of seen) expect(bars, symbol).toBeGreaterThan(0);
  });
});
