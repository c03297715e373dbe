import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startAlertRuntime } from "@/workers/stream/alert-runtime";

import {
  createTestDatabase,
  createTestTickBatchHandler,
  toTickInMessage,
  registerTestSymbols,
  testLogger,
  type TestDatabase,
} from "./helpers";
import { buildTestRules, insertTestRules, listActiveAlerts, toKeys } from "./support/alert-fixtures";
import { computeReferenceAlerts } from "./support/reference-alerts";
import { computeReference } from "./support/reference-kpis";
import { getRecordedTicks } from "./support/recorded-ticks";

const SYMBOLS = ["AAPL", "MSFT", "NVDA", "SPY", "TSLA"];
const DATES = ["2026-03-16", "2026-03-17", "2026-03-18"];
const WINDOWS = [5, 15, 60];
/** Every recorded bar is final by time at this clock. */
const NOW = Date.parse("2030-01-01T00:00:00Z");

describe("alerts on a replay of recorded real bars match an independent computation", () => {
  let database: TestDatabase;
  const ticks = getRecordedTicks(SYMBOLS, DATES).sort(
    (a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol),
  );
  const rules = buildTestRules(ticks);

  beforeAll(async () => {
    database = await createTestDatabase();
    await registerTestSymbols(database.db, SYMBOLS);
    await insertTestRules(database.db, rules);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("stores exactly the events of the reference, once each, with the values that caused them", async () => {
    expect(ticks.length).toBeGreaterThan(5 * 390 * 2);
    const alerts = startAlertRuntime({
      db: database.db,
      logger: testLogger,
      clock: () => NOW,
      staleSweepMs: 0,
    });
    const handler = createTestTickBatchHandler(database, {
      now: NOW,
      config: { groupId: "alerts-replay", windows: WINDOWS },
      evaluateAlerts: alerts.evaluate,
    });
    for (let offset = 0; offset < ticks.length; offset += 97) {
      const messages = ticks.slice(offset, offset + 97).map((t, j) => toTickInMessage(t, offset + j));
      expect(await handler.handleBatch({ topic: "market.ticks", partition: 0, messages })).toMatchObject({
        kind: "applied",
      });
    }
    await alerts.stop();

    const reference = computeReferenceAlerts(computeReference(ticks, WINDOWS).facts, rules);
    const stored = await listActiveAlerts(database.db);
    // Every rule type fires somewhere in these days, or the comparison would prove little.
    const firedRules = new Set(reference.map((a) => a.ruleId));
    for (const rule of rules.filter((r) => !r.isPaused && r.symbols === "all"))
      expect(firedRules).toContain(rule.id);
    expect(reference.length).toBeGreaterThan(200);
    expect(toKeys(stored)).toEqual(toKeys(reference));

    const { rows } = await database.db.$client.query<{ n: string; retracted: string }>(
      "select count(*) as n, count(retracted_at) as retracted from alert_events",
    );
    expect(Number(rows[0]!.retracted)).toBe(0);
    expect(Number(rows[0]!.n)).toBe(reference.length);
    // The values stored are those of the bar: a price cross records the close that crossed.
    const byTs = new Map(ticks.map((t) => [`${t.symbol} ${t.ts}`, t]));
    for (const a of stored.filter((s) => rules[s.ruleId - 1]!.condition.type === "price_cross"))
      expect(a.values.close).toBe(byTs.get(`${a.symbol} ${a.barTs}`)!.close);
  });
});
