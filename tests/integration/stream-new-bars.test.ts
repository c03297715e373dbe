import { afterAll, describe, expect, it } from "vitest";

import { factPrices } from "@/lib/db/schema";

import {
  createTestDatabase,
  createTestTickBatchHandler,
  registerTestSymbols,
  toTickInMessage,
  type TestDatabase,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

const WINDOWS = [5, 15, 60];
const NOW = Date.parse("2030-01-01T00:00:00Z");
const config = { groupId: "new-bars-test", windows: WINDOWS };

describe("bars new to a series state are inserted plainly", () => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.drop();
  });

  it("a bar another writer stored meanwhile fails the batch once; the retry reads it back, later bars of that symbol go by upsert, the rows are exact", async () => {
    database = await createTestDatabase();
    const ticks = getRecordedTicks(["AAPL"], ["2026-03-17"]).slice(0, 30);
    expect(ticks).toHaveLength(30);
    await registerTestSymbols(database.db, ["AAPL"]);
    // Two workers with a memory each, one partition each; the events carry no key, so AAPL reaches both.
    const first = createTestTickBatchHandler(database, { now: NOW, config });
    const second = createTestTickBatchHandler(database, { now: NOW, config });
    const batch = (partition: number, from: number, to: number, offset: number) => ({
      topic: "market.ticks",
      partition,
      messages: ticks.slice(from, to).map((t, i) => toTickInMessage(t, offset + i, { partition, key: null })),
    });

    expect(await first.handleBatch(batch(0, 0, 10, 0))).toMatchObject({ kind: "applied", applied: 10 });
    // The second stores bars 10 to 14, which the first worker's memory does not hold.
    expect(await second.handleBatch(batch(1, 10, 15, 0))).toMatchObject({ kind: "applied", applied: 5 });
    // The first takes them for new bars: its plain insert meets the stored ones and the batch rolls back
    // (nothing of it is written, its offset stays)...
    const resent = batch(0, 10, 20, 10);
    await expect(first.handleBatch(resent)).rejects.toThrow(/duplicate key value violates unique constraint/);
    expect(await database.db.$count(factPrices)).toBe(15);
    // ...and the retry, from a memory rebuilt from PostgreSQL, upserts them and inserts the rest.
    expect(await first.handleBatch(resent)).toMatchObject({ kind: "applied", applied: 10 });
    expect(await diffAgainstReference(database.db, ticks.slice(0, 20), WINDOWS)).toEqual([]);
    // From then on the first writes AAPL's bars by upsert: bars the second stores ahead of it no longer
    // fail its batches.
    expect(await second.handleBatch(batch(1, 20, 23, 5))).toMatchObject({ kind: "applied", applied: 3 });
    expect(await first.handleBatch(batch(0, 20, 30, 20))).toMatchObject({ kind: "applied", applied: 10 });
    expect(await diffAgainstReference(database.db, ticks, WINDOWS)).toEqual([]);
  });
});
