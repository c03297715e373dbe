import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createWebhookAdminApi, type WebhookAdminApi } from "@/lib/admin/webhook-admin-api";
import { WEBHOOK_SECRET_GRACE_MS } from "@/lib/admin/webhook-admin";
import { parseWebhookHostPolicy, type WebhookHostPolicy } from "@/lib/alerts/webhook-url";
import { insertAlertEvents } from "@/lib/db/queries/alert-events";
import { insertAlertRule } from "@/lib/db/queries/alert-rules";
import { listAuditEntries } from "@/lib/db/queries/audit-log";
import {
  webhookDeliveriesResponseSchema,
  webhookEndpointsResponseSchema,
  webhookSecretResponseSchema,
  type WebhookSecretResponse,
} from "@/lib/events/webhook";
import { createAdminApiHarness, type AdminApiHarness } from "@/tests/support/admin/admin-api-harness";

import { createTestDatabase, registerTestSymbols, testLogger, type TestDatabase } from "./helpers";

type ErrorBody = { error: { code: string; message: string } };

describe("admin API of webhook endpoints", () => {
  let database: TestDatabase;
  let h: AdminApiHarness;
  let api: WebhookAdminApi;
  let policy: WebhookHostPolicy;

  beforeEach(async () => {
    database = await createTestDatabase();
    h = createAdminApiHarness({ db: database.db, logger: testLogger });
    policy = parseWebhookHostPolicy("");
    api = createWebhookAdminApi(
      () => h.deps,
      () => policy,
    );
    await h.signIn();
    // The symbols the filters below name: a filter may name only followed symbols.
    await registerTestSymbols(database.db, ["AAPL", "MSFT"]);
  });
  afterEach(async () => {
    await database.drop();
  });

  async function create(body: Record<string, unknown>): Promise<WebhookSecretResponse> {
    const res = await h.call(api.createEndpoint, { method: "POST", path: "/api/admin/webhooks", body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return webhookSecretResponseSchema.parse(res.body);
  }

  /** A live rule a filter may name. */
  const insertAnyRule = () =>
    insertAlertRule(database.db, {
      name: "any",
      condition: { type: "price_cross", direction: "up", level: 1 },
      scope: { kind: "all" },
      cooldownMinutes: 0,
      status: "enabled",
    });

  const patchEndpoint = (id: string, body: unknown) =>
    h.call(api.updateEndpoint, { method: "PATCH", path: `/api/admin/webhooks/${id}`, params: { id }, body });

  async function secretsInDb(id: number) {
    const { rows } = await database.adminDb.$client.query<{ secret: string; previous_secret: string | null }>(
      "select secret, previous_secret from webhook_endpoints where id = $1",
      [id],
    );
    return rows[0];
  }

  it("creates an endpoint, shows its secret once and never again, and audits it without the secret", async () => {
    const created = await create({
      url: "https://hooks.example.com/alerts?team=desk",
      description: "trading desk",
      symbols: ["AAPL", "AAPL", "MSFT"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({
      url: "https://hooks.example.com/alerts?team=desk",
      description: "trading desk",
      isEnabled: true,
      ruleIds: [],
      symbols: ["AAPL", "MSFT"],
    });
    expect((await secretsInDb(created.endpoint.id))?.secret).toBe(created.secret);

    const list = await h.call(api.listEndpoints, { path: "/api/admin/webhooks" });
    expect(list.status).toBe(200);
    expect(webhookEndpointsResponseSchema.parse(list.body).endpoints).toEqual([created.endpoint]);
    expect(JSON.stringify(list.body)).not.toContain(created.secret.slice(6));

    const audit = await listAuditEntries(database.db, { limit: 10 });
    const entry = audit.find((e) => e.action === "webhook.create");
    expect(entry).toMatchObject({ actor: "admin", before: null, after: created.endpoint });
    expect(JSON.stringify(audit)).not.toContain(created.secret.slice(6));
  });

  it.each([
    [{ url: "ftp://example.com/x" }, /http/],
    [{ url: "https://user:pw@example.com/x" }, /user name or password/],
    [{ url: "http://127.0.0.1:9000/x" }, /WEBHOOK_ALLOWED_HOSTS/],
    [{ url: "http://169.254.169.254/latest" }, /WEBHOOK_ALLOWED_HOSTS/],
    [{ url: "http://localhost/x" }, /WEBHOOK_ALLOWED_HOSTS/],
    [{ url: "https://example.com/x", secret: "whsec_mine" }, /secret|unrecognized/i],
    [{ url: "https://example.com/x", ruleIds: [0] }, /ruleIds/],
    [{ url: "https://example.com/x", symbols: ["AAPL; DROP TABLE"] }, /symbols/],
  ])("refuses %j with 400", async (body, reason) => {
    const res = await h.call(api.createEndpoint, { method: "POST", path: "/api/admin/webhooks", body });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error.message).toMatch(reason);
    expect((await h.call(api.listEndpoints, { path: "/api/admin/webhooks" })).body).toEqual({
      endpoints: [],
    });
  });

  it("accepts a private address its host is allowed for (WEBHOOK_ALLOWED_HOSTS)", async () => {
    policy = parseWebhookHostPolicy("127.0.0.1");
    expect((await create({ url: "http://127.0.0.1:9000/x" })).endpoint.url).toBe("http://127.0.0.1:9000/x");
  });

  it("needs a session (401) and, to change anything, the CSRF token (403)", async () => {
    const signedOut = await h.call(api.listEndpoints, { path: "/api/admin/webhooks", isSignedIn: false });
    expect(signedOut.status).toBe(401);
    const noToken = await h.call(api.createEndpoint, {
      method: "POST",
      path: "/api/admin/webhooks",
      body: { url: "https://example.com/x" },
      headers: { "x-csrf-token": "" },
    });
    expect(noToken.status).toBe(403);
    const crossSite = await h.call(api.createEndpoint, {
      method: "POST",
      path: "/api/admin/webhooks",
      body: { url: "https://example.com/x" },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect((await h.call(api.listEndpoints, { path: "/api/admin/webhooks" })).body).toEqual({
      endpoints: [],
    });
  });

  it("refuses filters naming a symbol it does not follow or a rule that does not exist; an edit may keep them", async () => {
    const rule = await insertAnyRule();
    const post = (body: unknown) =>
      h.call(api.createEndpoint, { method: "POST", path: "/api/admin/webhooks", body });
    const badSymbol = await post({ url: "https://example.com/x", symbols: ["AAPL", "ZZZZ"] });
    expect(badSymbol.status).toBe(400);
    expect((badSymbol.body as ErrorBody).error.message).toBe(
      "symbols: ZZZZ is not a followed symbol (add it under Symbols first)",
    );
    const badRule = await post({ url: "https://example.com/x", ruleIds: [rule.id, 999] });
    expect(badRule.status).toBe(400);
    expect((badRule.body as ErrorBody).error.message).toBe(
      "ruleIds: no alert rule 999 (see Alert rules for the ids)",
    );
    const endpoints = await h.call(api.listEndpoints, { path: "/api/admin/webhooks" });
    expect(webhookEndpointsResponseSchema.parse(endpoints.body).endpoints).toEqual([]);

    // Kept on an edit after the rule is retired and the symbol removed; a new unknown one is refused.
    const { endpoint } = await create({
      url: "https://example.com/x",
      symbols: ["MSFT"],
      ruleIds: [rule.id],
    });
    await database.db.$client.query("update alert_rules set deleted_at = now() where id = $1", [rule.id]);
    await database.db.$client.query("update symbols set status = 'removed' where symbol = 'MSFT'");
    const patch = (body: unknown) => patchEndpoint(String(endpoint.id), body);
    expect((await patch({ symbols: ["MSFT"], ruleIds: [rule.id], description: "kept" })).status).toBe(200);
    const added = await patch({ ruleIds: [rule.id, 998] });
    expect(added.status).toBe(400);
    expect((added.body as ErrorBody).error.message).toBe(
      "ruleIds: no alert rule 998 (see Alert rules for the ids)",
    );
  });

  it("disables and enables an endpoint, audited as such; 404 for an unknown id, 400 for a bad one or an empty change", async () => {
    const { endpoint } = await create({ url: "https://example.com/x" });
    const disabled = await patchEndpoint(String(endpoint.id), { isEnabled: false });
    expect(disabled.status).toBe(200);
    expect((disabled.body as { endpoint: { isEnabled: boolean } }).endpoint.isEnabled).toBe(false);
    const rule = await insertAnyRule();
    expect((await patchEndpoint(String(endpoint.id), { isEnabled: true, ruleIds: [rule.id] })).status).toBe(
      200,
    );
    expect((await patchEndpoint("999", { isEnabled: false })).status).toBe(404);
    expect((await patchEndpoint("abc", { isEnabled: false })).status).toBe(400);
    expect((await patchEndpoint(String(endpoint.id), {})).status).toBe(400);
    const actions = (await listAuditEntries(database.db, { limit: 10 })).map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(["webhook.enable", "webhook.disable", "webhook.create"]);
  });

  it("rotates the secret: a new one shown once, the previous one kept for the grace period, audited", async () => {
    const { endpoint, secret } = await create({ url: "https://example.com/x" });
    const res = await h.call(api.rotateSecret, {
      method: "POST",
      path: `/api/admin/webhooks/${endpoint.id}/rotate-secret`,
      params: { id: String(endpoint.id) },
    });
    expect(res.status).toBe(200);
    const rotated = webhookSecretResponseSchema.parse(res.body);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.endpoint.previousSecretExpiresAt).toBe(h.deps.clock() + WEBHOOK_SECRET_GRACE_MS);
    expect(await secretsInDb(endpoint.id)).toEqual({ secret: rotated.secret, previous_secret: secret });
    const [entry] = await listAuditEntries(database.db, { limit: 1 });
    expect(entry?.action).toBe("webhook.rotate_secret");
    expect(JSON.stringify(entry)).not.toContain(rotated.secret.slice(6));
  });

  it("lists delivery status, filtered by endpoint and status; deleting an endpoint deletes its deliveries", async () => {
    const a = (await create({ url: "https://a.example.com/x" })).endpoint;
    const b = (await create({ url: "https://b.example.com/x" })).endpoint;
    const rule = await insertAlertRule(database.db, {
      name: "r",
      condition: { type: "price_cross", direction: "up", level: 1 },
      scope: { kind: "all" },
      cooldownMinutes: 0,
      status: "enabled",
    });
    await insertAlertEvents(
      database.db,
      [
        {
          ruleId: rule.id,
          ruleVersion: 1,
          ruleType: "price_cross",
          symbol: "AAPL",
          barTs: 60_000,
          values: {},
        },
      ],
      new Date(),
    );
    const list = async (query: string) => {
      const res = await h.call(api.listDeliveries, { path: `/api/admin/webhooks/deliveries${query}` });
      expect(res.status).toBe(200);
      return webhookDeliveriesResponseSchema.parse(res.body).deliveries;
    };
    const all = await list("");
    expect(all.map((d) => d.endpointId).sort()).toEqual([a.id, b.id].sort());
    expect(all[0]).toMatchObject({
      status: "pending",
      attempts: 0,
      eventType: "alert.fired",
      eventRevision: 1,
    });
    expect(all[0]?.webhookId).toBe(`alert-${all[0]?.alertEventId}-r1`);
    expect((await list(`?endpointId=${a.id}`)).map((d) => d.endpointId)).toEqual([a.id]);
    expect(await list("?status=delivered")).toEqual([]);
    expect(
      (await h.call(api.listDeliveries, { path: "/api/admin/webhooks/deliveries?status=lost" })).status,
    ).toBe(400);

    const del = (id: number) =>
      h.call(api.deleteEndpoint, {
        method: "DELETE",
        path: `/api/admin/webhooks/${id}`,
        params: { id: String(id) },
      });
    expect((await del(a.id)).status).toBe(200);
    expect((await del(a.id)).status).toBe(404);
    expect((await list("")).map((d) => d.endpointId)).toEqual([b.id]);
    const [entry] = await listAuditEntries(database.db, { limit: 1 });
    expect(entry).toMatchObject({ action: "webhook.delete", after: null, before: { id: a.id } });
    expect((entry?.before as ErrorBody | null) ?? {}).not.toHaveProperty("secret");
  });
});
