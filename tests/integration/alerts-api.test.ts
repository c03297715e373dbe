import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAlertsApi } from "@/lib/api/alerts-api";
import { listenForNotifications, type NotificationListener } from "@/lib/db/listen";
import { insertAlertEvents, retractAlertEvents, type NewAlertEvent } from "@/lib/db/queries/alert-events";
import { deleteAlertRule, insertAlertRule } from "@/lib/db/queries/alert-rules";
import { getAlertViewsByIds } from "@/lib/db/queries/alert-views";
import type { AlertRuleInput } from "@/lib/events/alert-rule";
import {
  ALERT_EVENTS_CHANGED_CHANNEL,
  alertEventsChangedSchema,
  type AlertsDelta,
  type AlertsPage,
} from "@/lib/events/api-alerts";
import { createAlertsRelay, type AlertsRelay } from "@/lib/realtime/alerts-relay";

import { createTestDatabase, testLogger, waitFor, type TestDatabase } from "./helpers";

let database: TestDatabase;
let listener: NotificationListener;
let relay: AlertsRelay;
const hints: number[][] = [];
const deltas: AlertsDelta[] = [];
const ruleIds: number[] = [];

const BASE = Date.parse("2025-03-12T14:30:00Z");
const rule = (name: string, level: number): AlertRuleInput => ({
  name,
  condition: { type: "price_cross", direction: "up", level },
  scope: { kind: "all" },
  cooldownMinutes: 0,
  status: "enabled",
});
const event = (ruleId: number, symbol: string, minute: number): NewAlertEvent => ({
  ruleId,
  ruleVersion: 1,
  ruleType: "price_cross",
  symbol,
  barTs: BASE + minute * 60_000,
  values: { close: 100 + minute, level: 100 },
});

const api = () => createAlertsApi(() => database.db);
async function get(query: string) {
  const response = await api().list(new Request(`http://test/api/alerts${query}`), {
    params: Promise.resolve({}),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

beforeAll(async () => {
  database = await createTestDatabase();
  relay = createAlertsRelay({
    readAlerts: (ids) => getAlertViewsByIds(database.db, ids),
    emit: (delta) => deltas.push(delta),
    logger: testLogger,
    intervalMs: 50,
  });
  listener = listenForNotifications({
    url: database.url,
    channel: ALERT_EVENTS_CHANGED_CHANNEL,
    schema: alertEventsChangedSchema,
    logger: testLogger,
    onNotify: (hint) => {
      hints.push(hint.ids);
      relay.notify(hint);
    },
  });
  await waitFor("the listener connects", () => listener.connected);
  for (const [name, level] of [
    ["AAPL 100", 100],
    ["MSFT 300", 300],
  ] as const)
    ruleIds.push((await insertAlertRule(database.db, rule(name, level))).id);
  // 250 events in one statement: one notification per 200 rows.
  const events: NewAlertEvent[] = [];
  for (let minute = 0; minute < 125; minute++)
    events.push(event(ruleIds[0]!, "AAPL", minute), event(ruleIds[1]!, "MSFT", minute));
  await insertAlertEvents(database.db, events, new Date(BASE + 200 * 60_000));
});

afterAll(async () => {
  await listener?.stop();
  await relay?.stop();
  await database?.drop();
});

describe("alert_events NOTIFY and the alerts relay", () => {
  it("one statement's rows arrive as hints of at most 200 ids, and overflow the relay into a reload", async () => {
    await waitFor("both hints", () => hints.flat().length >= 250);
    expect(hints.map((ids) => ids.length)).toEqual([200, 50]);
    await waitFor("the relay's event", () => deltas.length > 0);
    expect(deltas).toEqual([{ alerts: [], isReloadNeeded: true }]);
  });

  it("a retraction reaches the relay re-read from the table, with its rule's name", async () => {
    hints.length = 0;
    deltas.length = 0;
    await retractAlertEvents(
      database.db,
      [{ ruleId: ruleIds[0]!, symbol: "AAPL", barTs: BASE + 3 * 60_000 }],
      "a revision of the bar undid the crossing",
      new Date(BASE + 300 * 60_000),
    );
    await waitFor("the relay's event", () => deltas.length > 0);
    expect(deltas).toHaveLength(1);
    const [alert] = deltas[0]!.alerts;
    expect(alert).toMatchObject({
      ruleName: "AAPL 100",
      symbol: "AAPL",
      barTs: BASE + 3 * 60_000,
      retractedAt: BASE + 300 * 60_000,
      retractReason: "a revision of the bar undid the crossing",
      revision: 2,
    });
  });

  it("a forged hint naming rows that do not exist sends nothing", async () => {
    deltas.length = 0;
    relay.notify({ ids: [987654] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deltas).toEqual([]);
  });
});

describe("GET /api/alerts", () => {
  it("pages newest first with `before`", async () => {
    const first = await get("?limit=3");
    expect(first.status).toBe(200);
    const page = first.body as AlertsPage;
    expect(page.alerts.map((a) => a.id)).toEqual([...page.alerts.map((a) => a.id)].sort((a, b) => b - a));
    expect(page.alerts).toHaveLength(3);
    expect(page.nextBefore).toBe(page.alerts[2]!.id);
    expect(page.rules.map((r) => r.name)).toEqual(["AAPL 100", "MSFT 300"]);
    const next = (await get(`?limit=3&before=${page.nextBefore}`)).body as AlertsPage;
    expect(next.alerts[0]!.id).toBeLessThan(page.nextBefore!);
    const all = (await get("?limit=200")).body as AlertsPage;
    const rest = (await get(`?limit=200&before=${all.nextBefore}`)).body as AlertsPage;
    expect(all.alerts.length + rest.alerts.length).toBe(250);
    expect(rest.nextBefore).toBeNull();
  });

  it("filters by symbol and by rule, and keeps a retired rule's events and name", async () => {
    const msft = (await get("?symbol=msft&limit=200")).body as AlertsPage;
    expect(msft.alerts).toHaveLength(125);
    expect(new Set(msft.alerts.map((a) => a.symbol))).toEqual(new Set(["MSFT"]));
    await deleteAlertRule(database.db, ruleIds[0]!);
    const byRule = (await get(`?rule=${ruleIds[0]}&limit=200`)).body as AlertsPage;
    expect(byRule.alerts).toHaveLength(125);
    expect(new Set(byRule.alerts.map((a) => a.ruleName))).toEqual(new Set(["AAPL 100"]));
    expect(byRule.rules.find((r) => r.id === ruleIds[0])).toMatchObject({ isRetired: true });
    const retracted = byRule.alerts.filter((a) => a.retractedAt !== null);
    expect(retracted.map((a) => a.barTs)).toEqual([BASE + 3 * 60_000]);
    expect(((await get(`?rule=${ruleIds[1]}&symbol=AAPL`)).body as AlertsPage).alerts).toEqual([]);
  });

  it("400 naming the parameter for a bad query", async () => {
    for (const [query, field] of [
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
      ["?rule=abc", "rule"],
      ["?symbol=%27%3B--", "symbol"],
      ["?before=-3", "before"],
      ["?sort=id", "sort"],
    ]) {
      const response = await get(query!);
      expect(response.status, query).toBe(400);
      expect((response.body as { error: { message: string } }).error.message, query).toContain(field);
    }
  });
});
