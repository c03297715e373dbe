import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAlertRulesApi } from "@/lib/admin/alert-rules-api";
import { listenForNotifications, type NotificationListener } from "@/lib/db/listen";
import { ALERT_RULES_CHANGED_CHANNEL, alertRulesChangedSchema } from "@/lib/events/alert-rule";
import { getAlertViewsByIds } from "@/lib/db/queries/alert-views";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import {
  ALERT_EVENTS_CHANGED_CHANNEL,
  alertEventsChangedSchema,
  type AdminAlertRule,
  type AlertsDelta,
} from "@/lib/events/api-alerts";
import { createProducer, type Producer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { createAlertsRelay, type AlertsRelay } from "@/lib/realtime/alerts-relay";
import { createAdminApiHarness, type AdminApiHarness } from "@/tests/support/admin/admin-api-harness";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  registerTestSymbols,
  startTestStreamWorker,
  testLogger,
  uniqueId,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from "./helpers";

const MINUTE = 60_000;
const SYMBOL = "ZLIVE";

// The path an admin's rule takes to a browser, in process: admin API → alert_rules (NOTIFY) → the
// stream worker's rule refresh → a produced bar fires it in the batch's transaction → alert_events
// (NOTIFY) → the web's alerts relay re-reads it → one `alerts:changed` event.

describe("a rule made through the admin API", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let producer: Producer;
  let worker: StreamWorker;
  let harness: AdminApiHarness;
  let listener: NotificationListener;
  // The rules' notification as the worker's listener gets it: an edit or a pause is in force on the
  // next batch once it has arrived (README, "Managing alerts": within 5 s), not the moment the API answers.
  let rulesListener: NotificationListener;
  let rulesNotified = 0;
  const changeRule = async <T>(call: () => Promise<T>): Promise<T> => {
    const before = rulesNotified;
    const result = await call();
    await waitFor("the rule change's notification", () => rulesNotified > before, 5_000, 10);
    return result;
  };
  let relay: AlertsRelay;
  const deltas: AlertsDelta[] = [];
  const api = () => createAlertRulesApi(() => harness.deps);
  // A past hour, so every bar is final when it arrives; the newest bar ever sent so far.
  const start = Math.floor(Date.now() / MINUTE) * MINUTE - 90 * MINUTE;
  let minute = 0;

  const produce = (closes: number[]) =>
    sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      closes.map((close) => {
        const ts = start + minute++ * MINUTE;
        const tick: TickV1 = {
          v: 1,
          symbol: SYMBOL,
          ts,
          open: close,
          high: close + 0.1,
          low: close - 0.1,
          close,
          volume: 1_000,
          source: "synthetic",
          producedAt: Date.now(),
        };
        return { key: SYMBOL, value: tick };
      }),
    );
  const countBars = async () =>
    (await database.db.$client.query("select 1 from fact_prices where symbol = $1", [SYMBOL])).rowCount;
  const events = async () =>
    (
      await database.db.$client.query<{ id: string; rule_id: string; rule_version: number; close: number }>(
        "select id, rule_id, rule_version, (values->>'close')::float8 as close from alert_events where symbol = $1 order by id",
        [SYMBOL],
      )
    ).rows;
  const rule = (level: number) => ({
    name: `${SYMBOL} above ${level}`,
    condition: { type: "price_cross", direction: "up", level },
    scope: { kind: "symbols", symbols: [SYMBOL] },
    cooldownMinutes: 0,
    status: "enabled",
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(1);
    await registerTestSymbols(database.db, [SYMBOL]);
    producer = createProducer(createTestKafka(uniqueId("alerts-live")), { idempotent: true });
    await producer.connect();
    // With its URL the worker LISTENs for rule changes, as workers/stream.ts wires it.
    worker = await startTestStreamWorker(database, topics, { databaseUrl: database.url });
    harness = createAdminApiHarness({ db: database.db, logger: testLogger });
    await harness.signIn();
    relay = createAlertsRelay({
      readAlerts: (ids) => getAlertViewsByIds(database.db, ids),
      emit: (delta) => deltas.push(delta),
      logger: testLogger,
      intervalMs: 100,
    });
    listener = listenForNotifications({
      url: database.url,
      channel: ALERT_EVENTS_CHANGED_CHANNEL,
      schema: alertEventsChangedSchema,
      logger: testLogger,
      onNotify: (hint) => relay.notify(hint),
    });
    rulesListener = listenForNotifications({
      url: database.url,
      channel: ALERT_RULES_CHANGED_CHANNEL,
      schema: alertRulesChangedSchema,
      logger: testLogger,
      onNotify: () => rulesNotified++,
    });
    await waitFor("the listeners connect", () => listener.connected && rulesListener.connected);
    await produce(Array.from({ length: 25 }, (_, i) => 100 + i / 10));
    await waitFor("the history stored", async () => (await countBars()) === 25, 60_000);
  }, 120_000);

  afterAll(async () => {
    await listener?.stop();
    await rulesListener?.stop();
    await relay?.stop();
    await worker?.stop();
    await producer?.disconnect();
    await database?.drop();
  });

  it("fires on the next produced bar, and the relay sends it, within 5 s of the creation", async () => {
    const createdAt = Date.now();
    const created = await changeRule(() =>
      harness.call(api().create, {
        method: "POST",
        path: "/api/admin/alert-rules",
        body: rule(110),
      }),
    );
    expect(created.status).toBe(201);
    const { id } = (created.body as { rule: AdminAlertRule }).rule;
    await produce([111]);
    await waitFor("the alert event", async () => (await events()).length === 1, 5_000, 50);
    await waitFor("the relay's alerts:changed", () => deltas.some((d) => d.alerts.length > 0), 5_000, 50);
    const elapsed = Date.now() - createdAt;
    expect(elapsed).toBeLessThan(5_000);
    expect(deltas.flatMap((d) => d.alerts)).toMatchObject([
      { ruleId: id, ruleName: `${SYMBOL} above 110`, symbol: SYMBOL, values: { close: 111, level: 110 } },
    ]);
  }, 30_000);

  it("an edit is in force on the next bar once notified (new version), a paused rule fires nothing", async () => {
    const listed = await harness.call(api().list, { path: "/api/admin/alert-rules" });
    const { id } = (listed.body as { rules: AdminAlertRule[] }).rules[0]!;
    const params = { id: String(id) };
    const edited = await changeRule(() =>
      harness.call(api().update, {
        method: "PUT",
        path: `/api/admin/alert-rules/${id}`,
        params,
        body: rule(120),
      }),
    );
    expect((edited.body as { rule: AdminAlertRule }).rule.version).toBe(2);
    // Below 120, then across it: the edited level fires; the old one (110) would have fired on 115.
    await produce([105, 115, 121]);
    await waitFor("the edited rule's event", async () => (await events()).length === 2, 5_000, 50);
    expect((await events()).map((e) => [e.rule_version, e.close])).toEqual([
      [1, 111],
      [2, 121],
    ]);

    await changeRule(() =>
      harness.call(api().setStatus, {
        method: "PATCH",
        path: `/api/admin/alert-rules/${id}`,
        params,
        body: { status: "paused" },
      }),
    );
    await produce([100, 125]);
    await waitFor("the bars stored", async () => (await countBars()) === 31, 5_000, 50);
    expect(await events()).toHaveLength(2);
  }, 30_000);
});
