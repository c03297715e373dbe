import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertAlertEvents, listAlertEvents } from "@/lib/db/queries/alert-events";
import { upsertFactPrices } from "@/lib/db/queries/fact-prices";
import {
  insertAlertRule,
  listAlertRules,
  updateAlertRule,
  deleteAlertRule,
} from "@/lib/db/queries/alert-rules";
import { alertEventSchema } from "@/lib/events/alert-event";
import { alertRuleSchema, type AlertRuleInput } from "@/lib/events/alert-rule";
import {
  applyRevisions,
  createSeriesState,
  readSeriesBars,
  type SeriesChanges,
  type SeriesState,
} from "@/lib/kpi/symbol-series";
import { startAlertRuntime, type AlertRuntime } from "@/workers/stream/alert-runtime";

import { createTestDatabase, registerTestSymbols, testLogger, waitFor, type TestDatabase } from "./helpers";

const M = 60_000;
const TS = Date.parse("2026-03-12T14:00:00Z");
const schemaKeys = (schema: { shape: object }) => Object.keys(schema.shape).sort();

const RULE: AlertRuleInput = {
  name: "AAPL above 100",
  condition: { type: "price_cross", direction: "up", level: 100 },
  scope: { kind: "symbols", symbols: ["AAPL", "MSFT"] },
  cooldownMinutes: 15,
  status: "enabled",
};

/** Two final bars of AAPL whose closes cross 100 upwards, as one batch's changes and state. */
function crossingBatch(): { changes: Map<string, SeriesChanges>; states: Map<string, SeriesState> } {
  const state = createSeriesState(
    { symbol: "AAPL", timeZone: "America/New_York", windows: [5, 15, 60], finalGraceMs: 30_000 },
    [],
    true,
  );
  const bar = (ts: number, close: number) => ({
    ts,
    open: close,
    high: close,
    low: close,
    close,
    volume: 10,
  });
  const changes = applyRevisions(state, [bar(TS, 99), bar(TS + M, 101)], TS + 10 * M);
  return { changes: new Map([["AAPL", changes]]), states: new Map([["AAPL", state]]) };
}

describe("alert storage", () => {
  let database: TestDatabase;
  const runtimes: AlertRuntime[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.stop()));
    await database?.drop();
  });

  it("alert_rules ↔ AlertRule: every field round-trips; the version moves with the parameters only", async () => {
    const created = await insertAlertRule(database.db, RULE);
    expect(alertRuleSchema.parse(created)).toStrictEqual(created);
    expect(Object.keys(created).sort()).toEqual(schemaKeys(alertRuleSchema));
    expect(created).toMatchObject({ ...RULE, version: 1 });
    expect(await listAlertRules(database.db)).toStrictEqual([created]);

    const renamed = await updateAlertRule(database.db, created.id, {
      ...RULE,
      name: "renamed",
      status: "paused",
    });
    expect(renamed).toMatchObject({ name: "renamed", status: "paused", version: 1 });
    const moved = await updateAlertRule(database.db, created.id, {
      ...RULE,
      condition: { type: "price_cross", direction: "up", level: 105 },
    });
    expect(moved?.version).toBe(2);
    const cooled = await updateAlertRule(database.db, created.id, {
      ...RULE,
      condition: moved!.condition,
      cooldownMinutes: 0,
    });
    expect(cooled?.version).toBe(3);
    expect(await deleteAlertRule(database.db, created.id)).toBe(true);
    expect(await listAlertRules(database.db)).toEqual([]);
  });

  it("rejects a rule whose stored type disagrees with its condition (CHECK)", async () => {
    await expect(
      database.db.$client.query(
        `insert into alert_rules (name, condition, rule_type, scope) values ('x', '{"type":"ma_cross","kind":"golden"}', 'price_cross', 'all')`,
      ),
    ).rejects.toThrow(/alert_rules_type_check/);
  });

  it("alert_events ↔ AlertEvent: every field round-trips; one row per (rule, symbol, bar)", async () => {
    const rule = await insertAlertRule(database.db, RULE);
    const event = {
      ruleId: rule.id,
      ruleVersion: rule.version,
      ruleType: "price_cross" as const,
      symbol: "MSFT",
      barTs: TS,
      values: { level: 100, prevClose: 99.5, close: 100.25 },
    };
    const firedAt = new Date(TS + 5 * M);
    await insertAlertEvents(database.db, [event], firedAt);
    await insertAlertEvents(
      database.db,
      [{ ...event, values: { level: 1, prevClose: 1, close: 2 } }],
      new Date(),
    );
    const [read, ...rest] = await listAlertEvents(database.db, { symbol: "MSFT", limit: 10 });
    expect(rest).toEqual([]);
    expect(alertEventSchema.parse(read)).toStrictEqual(read);
    expect(Object.keys(read!).sort()).toEqual(schemaKeys(alertEventSchema));
    expect(read).toMatchObject({
      ...event,
      firedAt: firedAt.getTime(),
      retractedAt: null,
      retractReason: null,
      revision: 1,
    });
  });

  it("a rule created while the worker runs is in force at the next batch once its NOTIFY arrives (no periodic re-read)", async () => {
    await database.db.$client.query("update alert_rules set deleted_at = now() where deleted_at is null");
    const runtime = startAlertRuntime({
      db: database.db,
      logger: testLogger,
      clock: Date.now,
      databaseUrl: database.url,
      refreshMs: 3_600_000,
      staleSweepMs: 0,
    });
    runtimes.push(runtime);
    const { changes, states } = crossingBatch();
    const evaluate = () =>
      database.db.transaction((tx) => runtime.evaluate(tx, changes, (s) => states.get(s), TS + 10 * M));
    expect(await evaluate()).toEqual({ inserted: 0, revised: 0, retracted: 0 });
    // The listener connects in the background: a rule inserted before it listens would be missed
    // (then only the periodic re-read finds it), so insert rules until one is noticed.
    const started = Date.now();
    await waitFor(
      "the new rule fires",
      async () => {
        await insertAlertRule(database.db, { ...RULE, scope: { kind: "symbols", symbols: ["AAPL"] } });
        return (await evaluate()).inserted > 0;
      },
      10_000,
      250,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("without notifications the rules are re-read after refreshMs", async () => {
    let now = TS;
    const runtime = startAlertRuntime({
      db: database.db,
      logger: testLogger,
      clock: () => now,
      refreshMs: 5_000,
      staleSweepMs: 0,
    });
    runtimes.push(runtime);
    await database.db.$client.query("update alert_rules set deleted_at = now() where deleted_at is null");
    const { changes, states } = crossingBatch();
    const evaluate = () =>
      database.db.transaction((tx) => runtime.evaluate(tx, changes, (s) => states.get(s), now));
    await database.db.$client.query("delete from alert_events");
    expect((await evaluate()).inserted).toBe(0);
    await insertAlertRule(database.db, { ...RULE, scope: { kind: "all" } });
    now += 4_999;
    expect((await evaluate()).inserted).toBe(0);
    now += 1;
    expect((await evaluate()).inserted).toBe(1);
  });

  it("reads the bars a rule needs from PostgreSQL when memory lacks them (the previous day's close of an opening gap)", async () => {
    await database.db.$client.query("update alert_rules set deleted_at = now() where deleted_at is null");
    await insertAlertRule(database.db, {
      ...RULE,
      name: "gap up",
      condition: { type: "opening_gap", direction: "up", minGapPct: 1 },
      scope: { kind: "symbols", symbols: ["GAP"] },
    });
    const config = {
      symbol: "GAP",
      timeZone: "America/New_York",
      windows: [5, 15, 60],
      finalGraceMs: 30_000,
    };
    const bar = (iso: string, open: number, close: number) => ({
      ts: Date.parse(iso),
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 10,
    });
    const everything = createSeriesState(config, [], true);
    const now = Date.parse("2026-03-14T00:00:00Z");
    const stored = applyRevisions(
      everything,
      [
        bar("2026-03-12T19:58:00Z", 99, 99),
        bar("2026-03-12T19:59:00Z", 99, 100),
        bar("2026-03-13T13:30:00Z", 102, 102),
        bar("2026-03-13T13:31:00Z", 102, 103),
      ],
      now,
    );
    await upsertFactPrices(database.db, stored.bars);
    // Memory holds today only (as after trimming); the change is today's first bar.
    const today = readSeriesBars(everything).filter((b) => b.tradeDate === "2026-03-13");
    const state = createSeriesState(config, today, false);
    const changes = new Map([["GAP", { bars: [today[0]!], days: [], windows: [] }]]);
    const runtime = startAlertRuntime({
      db: database.db,
      logger: testLogger,
      clock: () => now,
      staleSweepMs: 0,
    });
    runtimes.push(runtime);
    expect(await database.db.transaction((tx) => runtime.evaluate(tx, changes, () => state, now))).toEqual({
      inserted: 1,
      revised: 0,
      retracted: 0,
    });
    const [event] = await listAlertEvents(database.db, { symbol: "GAP", limit: 5 });
    expect(event).toMatchObject({
      barTs: today[0]!.ts,
      values: { prevClose: 100, open: 102, gapPct: 2, minGapPct: 1 },
    });
  });

  it("stale data fires once per gap, keyed by the last bar before it, only while the market is open", async () => {
    await database.db.$client.query("update alert_rules set deleted_at = now() where deleted_at is null");
    await registerTestSymbols(database.db, ["OPEN1", "SHUT1"]);
    await database.db.$client.query(
      "update symbols set market_state = case symbol when 'OPEN1' then 'open' else 'closed' end where symbol in ('OPEN1', 'SHUT1')",
    );
    const last = Date.parse("2026-03-13T15:00:00Z");
    const fact = (symbol: string) => ({
      symbol,
      ts: last,
      tradeDate: "2026-03-13",
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
      ma5: null,
      ma20: null,
      ema20: null,
      vwap: null,
      isFinal: true,
    });
    await upsertFactPrices(database.db, [fact("OPEN1"), fact("SHUT1")]);
    const rule = await insertAlertRule(database.db, {
      ...RULE,
      name: "stale 5",
      condition: { type: "stale_data", minutes: 5 },
      scope: { kind: "symbols", symbols: ["OPEN1", "SHUT1"] },
    });
    let now = last + M + 5 * M - 1;
    const runtime = startAlertRuntime({
      db: database.db,
      logger: testLogger,
      clock: () => now,
      staleSweepMs: 0,
    });
    runtimes.push(runtime);
    await runtime.sweepStale();
    expect(await listAlertEvents(database.db, { ruleId: rule.id, limit: 10 })).toEqual([]);
    now += 1;
    await runtime.sweepStale();
    now += 10 * M;
    await runtime.sweepStale();
    const events = await listAlertEvents(database.db, { ruleId: rule.id, limit: 10 });
    expect(events.map((e) => [e.symbol, e.barTs, e.ruleType])).toEqual([["OPEN1", last, "stale_data"]]);
    // A new bar ends the gap; the next silence is a new gap with a key of its own.
    await upsertFactPrices(database.db, [{ ...fact("OPEN1"), ts: last + 20 * M }]);
    now = last + 30 * M;
    await runtime.sweepStale();
    const after = await listAlertEvents(database.db, { ruleId: rule.id, limit: 10 });
    expect(after.map((e) => e.barTs)).toEqual([last + 20 * M, last]);
  });
});
