import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createWebhookSecret } from "@/lib/alerts/webhook-signature";
import { createWebhookSender } from "@/lib/alerts/webhook-sender";
import { parseWebhookHostPolicy } from "@/lib/alerts/webhook-url";
import { createDb, closeDb, type Db } from "@/lib/db/client";
import { insertAlertEvents, listAlertEvents, retractAlertEvents } from "@/lib/db/queries/alert-events";
import { insertAlertRule } from "@/lib/db/queries/alert-rules";
import { insertWebhookEndpoint, updateWebhookEndpoint } from "@/lib/db/queries/webhook-endpoints";
import { formatAlertDedupeKey } from "@/lib/events/alert-event";
import type { AlertRule } from "@/lib/events/alert-rule";
import { webhookPayloadSchema } from "@/lib/events/webhook";
import { createWebhookRelay, type WebhookRelay } from "@/workers/stream/webhook-relay";

import { connectAsBiRole } from "./bi-helpers";
import { createTestDatabase, runCleanup, testLogger, waitFor, type TestDatabase } from "./helpers";

/** One request as the receiver saw it. */
type Received = { path: string; id: string; body: string; isSignatureValid: boolean; status: number };

/**
 * A receiver as a customer would write one, sharing nothing with the product's signing code: the
 * Standard Webhooks check with node:crypto (HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed with the
 * base64 secret after "whsec_", any of the space-separated "v1,<sig>" entries, timestamp within 5
 * minutes), and a dedupe on webhook-id.
 */
function verifySignature(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function startReceiver(
  secrets: Map<string, string>,
  answer: (path: string, id: string, seen: number) => number | Promise<number>,
) {
  const received: Received[] = [];
  const seenById = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const path = req.url ?? "";
        const id = String(req.headers["webhook-id"]);
        const seen = (seenById.get(`${path} ${id}`) ?? 0) + 1;
        seenById.set(`${path} ${id}`, seen);
        const status = await answer(path, id, seen);
        received.push({
          path,
          id,
          body,
          isSignatureValid: verifySignature(secrets.get(path) ?? "", req.headers, body),
          status,
        });
        res.writeHead(status).end();
      })();
    });
  });
  return {
    received,
    /** What the receiver processed: the first 2xx of each (path, webhook-id), repeats dropped. */
    processed: (path: string) => {
      const ids = new Set<string>();
      return received.filter((r) => r.path === path && r.status < 300 && !ids.has(r.id) && ids.add(r.id));
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const BAR_TS = Date.parse("2026-03-16T14:30:00Z");

describe("webhook delivery of alerts through the outbox", () => {
  let database: TestDatabase;
  let relayDb: Db;
  let ruleA: AlertRule;
  let ruleB: AlertRule;
  const secrets = new Map<string, string>();
  let endpointIds: Record<string, number> = {};
  const failuresBeforeSuccess = 2;
  let killRelayConnection: (() => Promise<void>) | null = null;
  const receiver = startReceiver(secrets, async (path, _id, seen) => {
    if (path === "/flaky") return seen <= failuresBeforeSuccess ? 500 : 200;
    if (path === "/down") return 503;
    if (path === "/killed" && seen === 1 && killRelayConnection) await killRelayConnection();
    return 200;
  });
  let relay: WebhookRelay;

  beforeAll(async () => {
    database = await createTestDatabase();
    const base = await receiver.listen();
    ruleA = await insertAlertRule(database.db, {
      name: "AAPL above 200",
      condition: { type: "price_cross", direction: "up", level: 200 },
      scope: { kind: "all" },
      cooldownMinutes: 0,
      status: "enabled",
    });
    ruleB = await insertAlertRule(database.db, {
      name: "golden cross",
      condition: { type: "ma_cross", kind: "golden" },
      scope: { kind: "all" },
      cooldownMinutes: 0,
      status: "enabled",
    });
    const endpoints: Record<string, { ruleIds?: number[]; symbols?: string[]; isEnabled?: boolean }> = {
      "/flaky": {},
      "/rule-b": { ruleIds: [ruleB.id] },
      "/msft": { symbols: ["MSFT"] },
      "/disabled": { isEnabled: false },
      "/down": {},
      "/killed": {},
    };
    for (const [path, filter] of Object.entries(endpoints)) {
      const secret = createWebhookSecret();
      secrets.set(path, secret);
      const row = await insertWebhookEndpoint(database.db, {
        url: `${base}${path}`,
        description: path,
        secret,
        ruleIds: filter.ruleIds ?? [],
        symbols: filter.symbols ?? [],
        isEnabled: filter.isEnabled ?? true,
      });
      endpointIds[path] = row.id;
    }
    // The relay on a pool of its own, so that the kill test can cut exactly its connection.
    relayDb = createDb(database.url, { max: 2, applicationName: "webhook-relay-test" });
    relay = createWebhookRelay({
      db: relayDb,
      send: createWebhookSender({ policy: parseWebhookHostPolicy("127.0.0.1"), timeoutMs: 3_000 }),
      logger: testLogger,
      clock: Date.now,
      retry: { maxAttempts: 4, baseDelayMs: 40, maxDelayMs: 200 },
    });
  });
  afterAll(async () => {
    await runCleanup("stopping the relay", () => relay?.stop(1_000));
    await runCleanup("closing the relay's pool", () => relayDb && closeDb(relayDb));
    await runCleanup("closing the receiver", () => receiver.close());
    await database?.drop();
    endpointIds = {};
  });

  async function countDeliveries(where = "true"): Promise<Record<string, number>> {
    const { rows } = await database.adminDb.$client.query<{ status: string; n: string }>(
      `select status, count(*) as n from webhook_deliveries where ${where} group by status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async function drainUntilSettled(where: string): Promise<void> {
    await waitFor(
      "every delivery delivered or failed",
      async () => {
        await relay.drain();
        const counts = await countDeliveries(where);
        return (counts.pending ?? 0) === 0 && Object.keys(counts).length > 0;
      },
      30_000,
      50,
    );
  }

  it("queues a delivery per enabled, matching endpoint in the event's transaction, and none when it rolls back", async () => {
    await database.db
      .transaction(async (tx) => {
        await insertAlertEvents(
          tx,
          [
            {
              ruleId: ruleA.id,
              ruleVersion: 1,
              ruleType: "price_cross",
              symbol: "AAPL",
              barTs: 1,
              values: {},
            },
          ],
          new Date(),
        );
        throw new Error("the batch fails");
      })
      .catch(() => undefined);
    expect(await countDeliveries()).toEqual({});

    await database.db.transaction(async (tx) => {
      await insertAlertEvents(
        tx,
        [
          {
            ruleId: ruleA.id,
            ruleVersion: ruleA.version,
            ruleType: "price_cross",
            symbol: "AAPL",
            barTs: BAR_TS,
            values: { close: 201.5, level: 200 },
          },
          {
            ruleId: ruleB.id,
            ruleVersion: ruleB.version,
            ruleType: "ma_cross",
            symbol: "MSFT",
            barTs: BAR_TS,
            values: { ma5: 410.25, ma20: 410.2 },
          },
          {
            ruleId: ruleA.id,
            ruleVersion: ruleA.version,
            ruleType: "price_cross",
            symbol: "MSFT",
            barTs: BAR_TS + 60_000,
            values: { close: 200.01, level: 200 },
          },
        ],
        new Date(BAR_TS + 120_000),
      );
      // A retried batch inserts the same events again: nothing doubles.
      await insertAlertEvents(
        tx,
        [
          {
            ruleId: ruleA.id,
            ruleVersion: ruleA.version,
            ruleType: "price_cross",
            symbol: "AAPL",
            barTs: BAR_TS,
            values: { close: 201.5, level: 200 },
          },
        ],
        new Date(),
      );
      // A revision undoes the AAPL crossing: a new revision, a new delivery.
      await retractAlertEvents(
        tx,
        [{ ruleId: ruleA.id, symbol: "AAPL", barTs: BAR_TS }],
        "revised",
        new Date(BAR_TS + 180_000),
      );
    });
    const { rows } = await database.adminDb.$client.query<{ description: string; n: string }>(
      `select w.description, count(d.id) as n from webhook_endpoints w
       left join webhook_deliveries d on d.endpoint_id = w.id group by w.description`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.description, Number(r.n)]))).toEqual({
      "/flaky": 4,
      "/rule-b": 1,
      "/msft": 2,
      "/disabled": 0,
      "/down": 4,
      "/killed": 4,
    });
  });

  it("holds no transaction while receivers answer; a relay killed between sending and marking sends again with the same webhook-id; the receiver dedupes", async () => {
    // Only /killed's deliveries this time: the others' endpoints are disabled for the moment.
    for (const path of ["/flaky", "/rule-b", "/msft", "/down"])
      await updateWebhookEndpoint(database.db, endpointIds[path]!, { isEnabled: false });
    // While the receiver answers the pass's first POST, the relay's connections hold no transaction (one
    // would keep the whole cluster from pruning row versions); the one holding the relay lock is cut.
    let duringPost: { state: string; xid: string | null; xmin: string | null; locked: boolean }[] = [];
    killRelayConnection = async () => {
      const { rows } = await database.adminDb.$client.query<(typeof duringPost)[number]>(
        `select state, backend_xid as xid, backend_xmin as xmin,
                exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.granted) as locked
           from pg_stat_activity a where datname = current_database() and application_name = 'webhook-relay-test'`,
      );
      if (duringPost.length === 0) duringPost = rows;
      await database.adminDb.$client.query(
        `select pg_terminate_backend(pid) from pg_locks
          where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())
            and pid in (select pid from pg_stat_activity where application_name = 'webhook-relay-test')`,
      );
    };
    await relay.drain();
    expect(duringPost.filter((c) => c.locked)).toEqual([
      { state: "idle", xid: null, xmin: null, locked: true },
    ]);
    expect(duringPost.filter((c) => c.state !== "idle" || c.xid !== null || c.xmin !== null)).toEqual([]);
    const firstTries = receiver.received.filter((r) => r.path === "/killed");
    expect(firstTries.length).toBeGreaterThan(0);
    // The pass died before recording anything: every delivery is still pending with no attempt.
    expect(await countDeliveries(`endpoint_id = ${endpointIds["/killed"]} and attempts = 0`)).toEqual({
      pending: 4,
    });
    killRelayConnection = null;
    await drainUntilSettled(`endpoint_id = ${endpointIds["/killed"]}`);
    const all = receiver.received.filter((r) => r.path === "/killed");
    const processed = receiver.processed("/killed");
    expect(processed).toHaveLength(4);
    const resent = firstTries.filter((first) => all.filter((r) => r.id === first.id).length === 2);
    expect(resent.length).toBeGreaterThan(0);
    for (const first of resent) {
      const again = all.filter((r) => r.id === first.id)[1]!;
      expect(again.body).toBe(first.body);
    }
    expect(all.every((r) => r.isSignatureValid)).toBe(true);
    expect(await countDeliveries(`endpoint_id = ${endpointIds["/killed"]}`)).toEqual({ delivered: 4 });
    for (const path of ["/flaky", "/rule-b", "/msft", "/down"])
      await updateWebhookEndpoint(database.db, endpointIds[path]!, { isEnabled: true });
  });

  it("delivers each alert revision at least once, signed, retrying 500s under the same webhook-id, and only what each filter selects", async () => {
    await drainUntilSettled(`endpoint_id <> ${endpointIds["/down"]}`);
    const stored = await listAlertEvents(database.db, { limit: 10 });
    expect(stored).toHaveLength(3);
    const aapl = stored.find((e) => e.symbol === "AAPL")!;
    const expectedIds = [
      ...stored.map((e) => formatAlertDedupeKey({ id: e.id, revision: 1 })),
      formatAlertDedupeKey(aapl),
    ].sort();

    const flaky = receiver.received.filter((r) => r.path === "/flaky");
    expect(flaky.every((r) => r.isSignatureValid)).toBe(true);
    // Each webhook-id came failuresBeforeSuccess + 1 times with the same body, and was processed once.
    expect(
      receiver
        .processed("/flaky")
        .map((r) => r.id)
        .sort(),
    ).toEqual(expectedIds);
    for (const id of expectedIds) {
      const tries = flaky.filter((r) => r.id === id);
      expect(tries.map((r) => r.status)).toEqual([500, 500, 200]);
      expect(new Set(tries.map((r) => r.body)).size).toBe(1);
    }
    // The bodies: the stored event as of each revision, with its rule's name.
    for (const r of receiver.processed("/flaky")) {
      const payload = webhookPayloadSchema.parse(JSON.parse(r.body));
      const current = stored.find((e) => e.id === payload.data.id)!;
      expect(formatAlertDedupeKey(payload.data)).toBe(r.id);
      expect(payload.data.ruleName).toBe(current.ruleId === ruleA.id ? ruleA.name : ruleB.name);
      if (payload.data.revision === current.revision) {
        const { ruleName: _name, ...event } = payload.data;
        expect(event).toEqual(current);
      }
      expect(payload.type).toBe(payload.data.retractedAt === null ? "alert.fired" : "alert.retracted");
    }
    expect(
      receiver
        .processed("/flaky")
        .filter((r) => r.id === formatAlertDedupeKey(aapl))
        .map((r) => JSON.parse(r.body) as { type: string })[0]?.type,
    ).toBe("alert.retracted");

    const ruleBOnly = receiver
      .processed("/rule-b")
      .map((r) => webhookPayloadSchema.parse(JSON.parse(r.body)).data);
    expect(ruleBOnly.map((e) => [e.ruleId, e.symbol])).toEqual([[ruleB.id, "MSFT"]]);
    const msftOnly = receiver
      .processed("/msft")
      .map((r) => webhookPayloadSchema.parse(JSON.parse(r.body)).data);
    expect(msftOnly.map((e) => e.symbol)).toEqual(["MSFT", "MSFT"]);
    expect(new Set(msftOnly.map((e) => e.ruleId))).toEqual(new Set([ruleA.id, ruleB.id]));
    expect(receiver.received.filter((r) => r.path === "/disabled")).toEqual([]);

    const { rows } = await database.adminDb.$client.query<{
      attempts: number;
      last_http_status: number;
      status: string;
    }>(`select attempts, last_http_status, status from webhook_deliveries where endpoint_id = $1`, [
      endpointIds["/flaky"],
    ]);
    expect(rows).toHaveLength(4);
    expect(
      rows.every((r) => r.attempts === 3 && r.last_http_status === 200 && r.status === "delivered"),
    ).toBe(true);
  });

  it("gives up after the last attempt: failed, with its attempts and last error, visible in bi.webhook_deliveries", async () => {
    await drainUntilSettled(`endpoint_id = ${endpointIds["/down"]}`);
    expect(receiver.received.filter((r) => r.path === "/down")).toHaveLength(4 * 4);
    const bi = await connectAsBiRole(database.url);
    try {
      const { rows, fields } = await bi.query<{
        webhook_id: string;
        alert_event_id: string;
        event_revision: number;
        status: string;
        attempts: number;
        last_http_status: number;
        last_error: string;
      }>(`select * from bi.webhook_deliveries where endpoint_description = '/down' order by id`);
      expect(fields.map((f) => f.name)).not.toEqual(expect.arrayContaining(["url"]));
      expect(fields.map((f) => f.name).filter((n) => /secret|url/.test(n))).toEqual([]);
      expect(rows).toHaveLength(4);
      for (const row of rows) {
        expect(row).toMatchObject({
          status: "failed",
          attempts: 4,
          last_http_status: 503,
          last_error: "HTTP 503",
        });
        expect(row.webhook_id).toBe(
          formatAlertDedupeKey({ id: Number(row.alert_event_id), revision: row.event_revision }),
        );
      }
      const all = await bi.query<{ status: string; n: string }>(
        "select status, count(*) as n from bi.webhook_deliveries group by status order by status",
      );
      expect(all.rows.map((r) => [r.status, Number(r.n)])).toEqual([
        ["delivered", 4 + 1 + 2 + 4],
        ["failed", 4],
      ]);
      expect(await bi.query("select 1 from webhook_endpoints").catch((e: { code?: string }) => e.code)).toBe(
        "42501",
      );
    } finally {
      await bi.end();
    }
  });
});
