import fc from "fast-check";
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
import { diffAgainstReference, dumpKpiTables } from "./support/tables";

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "QQQ"];
const DAY = ["2026-03-17"];
const WINDOWS = [5, 15, 60];
const NOW = Date.parse("2030-01-01T00:00:00Z");

/** Feeds events to the real batch handler against a real database, in batches of the given sizes. */
async function feed(database: TestDatabase, events: TickV1[], batchSizes: number[]): Promise<void> {
  await registerTestSymbols(database.db, SYMBOLS);
  const handler = createTestTickBatchHandler(database, {
    now: NOW,
    config: { groupId: "order-test", windows: WINDOWS },
  });
  let offset = 0;
  let i = 0;
  while (offset < events.length) {
    const size = batchSizes[i++ % batchSizes.length]!;
    const messages = events.slice(offset, offset + size).map((t, j) => toTickInMessage(t, offset + j));
    const result = await handler.handleBatch({ topic: "market.ticks", partition: 0, messages });
    expect(result).toMatchObject({ kind: "applied", deadLettered: 0 });
    offset += size;
    // Forget memory now and then, as a rebalance or restart would: state is rebuilt from PostgreSQL.
    if (i % 7 === 0) handler.reset();
  }
}

describe("property: results depend on the bars, never on their arrival order", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  it("a full recorded day of five symbols fed in order and fed shuffled with stale revisions gives identical tables", async () => {
    const ticks = getRecordedTicks(SYMBOLS, DAY);
    expect(ticks).toHaveLength(5 * 390);
    const inOrder = await createTestDatabase();
    databases.push(inOrder);
    await feed(
      inOrder,
      [...ticks].sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol)),
      [500],
    );
    expect(await diffAgainstReference(inOrder.db, ticks, WINDOWS)).toEqual([]);
    const expected = await dumpKpiTables(inOrder.db);

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 25, max: 400 }), { minLength: 1, maxLength: 6 }),
        async (seed, batchSizes) => {
          // Each bar arrives as a stale revision (wrong close/volume) and later as its final revision,
          // sometimes twice; bars of all symbols interleave in a random order.
          const rand = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
            seed,
            numRuns: ticks.length * 4,
          });
          let r = 0;
          const next = () => rand[r++ % rand.length]!;
          const queues = ticks.map((t) => {
            const stale = { ...t, close: t.low, volume: t.volume + 7 };
            return next() < 0.2 ? [stale, t, t] : [stale, t];
          });
          const events: TickV1[] = [];
          const live = queues.map((_, idx) => idx);
          while (live.length > 0) {
            const pick = Math.floor(next() * live.length);
            const q = queues[live[pick]!]!;
            events.push(q.shift()!);
            if (q.length === 0) live.splice(pick, 1);
          }
          const shuffled = await createTestDatabase();
          databases.push(shuffled);
          await feed(shuffled, events, batchSizes);
          expect(await dumpKpiTables(shuffled.db)).toEqual(expected);
          await shuffled.drop();
          databases.pop();
        },
      ),
      { numRuns: 3 },
    );
  });
});
