import { afterAll, describe, expect, it } from "vitest";

import { listStreamOffsets } from "@/lib/db/queries/stream-offsets";
import type { TickV1 } from "@/lib/events/tick-v1";
import { createRandom } from "@/lib/ingest/synthetic/walk";
import { shuffle } from "@/scripts/faults/events";

import {
  createTestDatabase,
  createTestTickBatchHandler,
  registerTestSymbols,
  toTickInMessage,
  type TestDatabase,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META"];
const WINDOWS = [5, 15, 60];
const NOW = Date.parse("2030-01-01T00:00:00Z");
const GROUP = "keep-test";
const TOPIC = "market.ticks";

type Handler = ReturnType<typeof createTestTickBatchHandler>;

/** Applies `events` to `partition` from `offset` on, in batches of `batchSize`; returns the next offset. */
async function feed(
  handler: Handler,
  partition: number,
  events: readonly TickV1[],
  offset: number,
  batchSize = 40,
): Promise<number> {
  for (let i = 0; i < events.length; i += batchSize) {
    const messages = events
      .slice(i, i + batchSize)
      .map((tick, j) => toTickInMessage(tick, offset + i + j, { partition }));
    const result = await handler.handleBatch({ topic: TOPIC, partition, messages });
    expect(result).toMatchObject({ kind: "applied", deadLettered: 0 });
  }
  return offset + events.length;
}

describe("a rebalance keeps the state of the partitions that stayed (keepPartitions)", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });
  const ticks = getRecordedTicks(SYMBOLS, ["2026-03-17"]).sort(
    (a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol),
  );
  // AAPL and GOOG on partition 0, AMZN and META on partition 1; each partition's day in two halves.
  const byPartition = [0, 1].map((p) => ticks.filter((t) => SYMBOLS.indexOf(t.symbol) % 2 === p));
  const halves = byPartition.map((events) => [
    events.slice(0, Math.floor(events.length / 2)),
    events.slice(Math.floor(events.length / 2)),
  ]);

  it("keeps a partition nobody applied since, rebuilds one another member applied, and every row stays exact", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await registerTestSymbols(database.db, SYMBOLS);
    const config = { groupId: GROUP, windows: WINDOWS };
    const member = createTestTickBatchHandler(database, { now: NOW, config });
    const other = createTestTickBatchHandler(database, { now: NOW, config });

    // This member applies the first half of both partitions...
    const next0 = await feed(member, 0, halves[0]![0]!, 0);
    let next1 = await feed(member, 1, halves[1]![0]!, 0);
    expect(member.cachedSymbols).toBe(4);
    // ...then partition 1 goes to another member for a while, which applies part of its second half.
    const [lent, rest] = [halves[1]![1]!.slice(0, 60), halves[1]![1]!.slice(60)];
    next1 = await feed(other, 1, lent, next1);

    // Both partitions come back: the stored offsets say partition 0 is as this member left it,
    // partition 1 is not (its states lack the other member's bars), so only partition 0's are kept.
    const stored = await listStreamOffsets(database.db, GROUP, TOPIC);
    expect(member.keepPartitions([0, 1], stored)).toBe(2);
    expect(member.cachedSymbols).toBe(2);

    // The rest, bars in shuffled order (so that bars arrive late): the kept states recompute from the
    // bars they hold.
    const random = createRandom(7);
    await feed(member, 0, shuffle(halves[0]![1]!, random), next0);
    await feed(member, 1, shuffle(rest, random), next1);
    expect(await diffAgainstReference(database.db, ticks, WINDOWS)).toEqual([]);
  });

  it("keeps nothing of a partition that moved away, or that it never committed on", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await registerTestSymbols(database.db, SYMBOLS);
    const member = createTestTickBatchHandler(database, {
      now: NOW,
      config: { groupId: GROUP, windows: WINDOWS },
    });
    await feed(member, 0, halves[0]![0]!, 0);
    await feed(member, 1, halves[1]![0]!, 0);
    const stored = await listStreamOffsets(database.db, GROUP, TOPIC);
    // Partition 1 moved to another member and partition 2 came instead: only partition 0's two symbols stay.
    expect(member.keepPartitions([0, 2], stored)).toBe(2);
    // Partition 0 moved too: nothing stays, and nothing of it is kept once it comes back either.
    expect(member.keepPartitions([2], stored)).toBe(0);
    await feed(member, 0, halves[0]![1]!.slice(0, 40), stored.get(0)!);
    expect(member.keepPartitions([0], await listStreamOffsets(database.db, GROUP, TOPIC))).toBe(2);
    expect(member.keepPartitions([0], new Map([[0, 0]]))).toBe(0);
  });
});
