import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

import type { TickV1 } from "@/lib/events/tick-v1";
import { startAlertRuntime } from "@/workers/stream/alert-runtime";

import {
  createTestDatabase,
  createTestTickBatchHandler,
  toTickInMessage,
  registerTestSymbols,
  testLogger,
  type TestDatabase,
} from "./helpers";
import { buildTestRules, insertTestRules, listActiveAlerts } from "./support/alert-fixtures";
import { computeReferenceAlerts } from "./support/reference-alerts";
import { computeReference } from "./support/reference-kpis";
import { getRecordedTicks } from "./support/recorded-ticks";

// tests/integration/stream-order-independence.test.ts extended to alerts, in a file of its own: the
// same recorded bars fed in order and fed shuffled with stale revisions (each of which may fire or
// undo alerts on its way) end with the same active alert events, which are the reference's.

const SYMBOLS = ["AAPL", "AMZN", "GOOG", "META", "QQQ"];
const DAYS = ["2026-03-16", "2026-03-17"];
const WINDOWS = [5, 15, 60];
const NOW = Date.parse("2030-01-01T00:00:00Z");

async function feed(
  database: TestDatabase,
  events: TickV1[],
  batchSizes: number[],
  rules: ReturnType<typeof buildTestRules>,
) {
  await registerTestSymbols(database.db, SYMBOLS);
  await insertTestRules(database.db, rules);
  const alerts = startAlertRuntime({
    db: database.db,
    logger: testLogger,
    clock: () => NOW,
    staleSweepMs: 0,
  });
  const handler = createTestTickBatchHandler(database, {
    now: NOW,
    config: { groupId: "alerts-order", windows: WINDOWS },
    evaluateAlerts: alerts.evaluate,
  });
  let offset = 0;
  let i = 0;
  while (offset < events.length) {
    const size = batchSizes[i++ % batchSizes.length]!;
    const messages = events.slice(offset, offset + size).map((t, j) => toTickInMessage(t, offset + j));
    expect(await handler.handleBatch({ topic: "market.ticks", partition: 0, messages })).toMatchObject({
      kind: "applied",
      deadLettered: 0,
    });
    offset += size;
    // Forget memory now and then, as a rebalance or restart would: state is rebuilt from PostgreSQL.
    if (i % 7 === 0) handler.reset();
  }
  await alerts.stop();
}

describe("property: alert events depend on the bars, never on their arrival order", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  it("in order, and shuffled with stale revisions, the active alerts are the reference's; undone ones are retracted, never deleted or doubled", async () => {
    const ticks = getRecordedTicks(SYMBOLS, DAYS);
    expect(ticks).toHaveLength(5 * 390 * 2);
    const rules = buildTestRules(ticks);
    const inOrder = await createTestDatabase();
    databases.push(inOrder);
    await feed(
      inOrder,
      [...ticks].sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol)),
      [500],
      rules,
    );
    const expected = await listActiveAlerts(inOrder.db);
    const reference = computeReferenceAlerts(computeReference(ticks, WINDOWS).facts, rules);
    expect(expected.map(({ values: _v, ...key }) => key)).toEqual(
      [...reference].sort(
        (a, b) => a.ruleId - b.ruleId || a.symbol.localeCompare(b.symbol) || a.barTs - b.barTs,
      ),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 25, max: 400 }), { minLength: 1, maxLength: 6 }),
        async (seed, batchSizes) => {
          const rand = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
            seed,
            numRuns: ticks.length * 4,
          });
          let r = 0;
          const next = () => rand[r++ % rand.length]!;
          // A stale revision moves the close to the bar's high or low and the volume up fivefold, so it
          // fires crossings and spikes that the final revision must undo.
          const queues = ticks.map((t) => {
            const stale = { ...t, close: next() < 0.5 ? t.low : t.high, volume: t.volume * 5 + 7 };
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
          await feed(shuffled, events, batchSizes, rules);
          expect(await listActiveAlerts(shuffled.db)).toEqual(expected);
          const { rows } = await shuffled.db.$client.query<{ retracted: string; doubled: string }>(
            `select count(retracted_at) as retracted,
                    count(*) - count(distinct (rule_id, symbol, bar_ts)) as doubled from alert_events`,
          );
          // The stale revisions did fire alerts that were then retracted (so the retraction path ran).
          expect(Number(rows[0]!.retracted)).toBeGreaterThan(0);
          expect(Number(rows[0]!.doubled)).toBe(0);
          await shuffled.drop();
          databases.pop();
        },
      ),
      { numRuns: 2 },
    );
  });
});
