import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";

import { createAlertRulesApi } from "@/lib/admin/alert-rules-api";
import { insertAlertEvents } from "@/lib/db/queries/alert-events";
import { adminAuditLog, alertRules } from "@/lib/db/schema";
import type { AlertRuleInput } from "@/lib/events/alert-rule";
import type { AdminAlertRule } from "@/lib/events/api-alerts";

import { registerTestSymbols } from "./helpers";
import { messageOf, useAdminSymbolsTest } from "./support/admin-symbols";

const t = useAdminSymbolsTest();
// The symbols the rules below watch: a rule may list only followed symbols.
beforeEach(() => registerTestSymbols(t.database.db, ["AAPL", "MSFT"]));
const api = () => createAlertRulesApi(() => t.h.deps);

const RULE: AlertRuleInput = {
  name: "AAPL above 200",
  condition: { type: "price_cross", direction: "up", level: 200 },
  scope: { kind: "symbols", symbols: ["AAPL"] },
  cooldownMinutes: 15,
  status: "enabled",
};

async function create(body: unknown = RULE) {
  return t.h.call(api().create, { method: "POST", path: "/api/admin/alert-rules", body });
}

const item = (id: number | string) => ({ path: `/api/admin/alert-rules/${id}`, params: { id: String(id) } });

async function auditRows() {
  const rows = await t.database.db.select().from(adminAuditLog).orderBy(adminAuditLog.id);
  return rows.filter((r) => r.action.startsWith("alert_rule."));
}

describe("admin alert rules", () => {
  it("creates a rule, lists it with its event counts, and audits the creation", async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const rule = (created.body as { rule: AdminAlertRule }).rule;
    expect(rule).toMatchObject({
      ...RULE,
      version: 1,
      eventCount: 0,
      activeEventCount: 0,
      lastFiredAt: null,
    });
    await insertAlertEvents(
      t.database.db,
      [
        {
          ruleId: rule.id,
          ruleVersion: 1,
          ruleType: "price_cross",
          symbol: "AAPL",
          barTs: Date.parse("2025-03-12T14:31:00Z"),
          values: { close: 201, level: 200 },
        },
      ],
      new Date("2025-03-12T14:32:05Z"),
    );
    const listed = await t.h.call(api().list, { path: "/api/admin/alert-rules" });
    expect(listed.status).toBe(200);
    expect((listed.body as { rules: AdminAlertRule[] }).rules).toEqual([
      { ...rule, eventCount: 1, activeEventCount: 1, lastFiredAt: Date.parse("2025-03-12T14:32:05Z") },
    ]);
    const [entry] = await auditRows();
    expect(entry).toMatchObject({
      actor: "admin",
      action: "alert_rule.create",
      symbol: null,
      before: null,
      after: { ...RULE, id: rule.id, version: 1 },
    });
  });

  it("refuses an invalid rule with the failing field named, and stores nothing", async () => {
    const cases: [unknown, string][] = [
      [{ ...RULE, condition: { ...RULE.condition, level: -5 } }, "condition.level"],
      // Beyond any price a tick may carry: a rule that could never fire.
      [{ ...RULE, condition: { ...RULE.condition, level: 20_000_000 } }, "condition.level"],
      [{ ...RULE, condition: { type: "price_jump", level: 1 } }, "condition.type"],
      [
        { ...RULE, condition: { type: "volume_spike", factor: 3, lookbackBars: 0 } },
        "condition.lookbackBars",
      ],
      [
        { ...RULE, scope: { kind: "symbols", symbols: ["AAPL'; drop table alert_rules;--"] } },
        "scope.symbols.0",
      ],
      [{ ...RULE, cooldownMinutes: -1 }, "cooldownMinutes"],
      [{ ...RULE, name: "  " }, "name"],
      [{ ...RULE, extra: 1 }, "extra"],
    ];
    for (const [body, field] of cases) {
      const response = await create(body);
      expect(response.status, field).toBe(400);
      expect(messageOf(response.body), field).toContain(field);
    }
    expect(await t.database.db.select().from(alertRules)).toEqual([]);
    expect(await auditRows()).toEqual([]);
  });

  it("refuses a rule that lists a symbol the product does not follow, naming it, and stores nothing", async () => {
    // Unknown, removed, and refused by its source (invalid): none is followed. Paused is.
    await registerTestSymbols(t.database.db, ["NVDA", "SPY"]);
    await t.database.db.$client.query("update symbols set status = 'removed' where symbol = 'MSFT'");
    await t.database.db.$client.query("update symbols set status = 'invalid' where symbol = 'NVDA'");
    await t.database.db.$client.query("update symbols set status = 'paused' where symbol = 'SPY'");
    const refused = await create({
      ...RULE,
      scope: { kind: "symbols", symbols: ["AAPL", "ZZZZ", "MSFT", "NVDA", "SPY"] },
    });
    expect(refused.status).toBe(400);
    expect(messageOf(refused.body)).toBe(
      "scope.symbols: ZZZZ, MSFT, NVDA are not followed symbols (add them under Symbols first)",
    );
    expect(await t.database.db.select().from(alertRules)).toEqual([]);
    expect(await auditRows()).toEqual([]);
    // Every symbol, or followed ones only: stored.
    expect((await create({ ...RULE, scope: { kind: "all" } })).status).toBe(201);
    expect((await create()).status).toBe(201);
    expect((await create({ ...RULE, scope: { kind: "symbols", symbols: ["SPY"] } })).status).toBe(201);
  });

  it("lets an edit keep a symbol removed since, but not add one", async () => {
    const { id } = (
      (await create({ ...RULE, scope: { kind: "symbols", symbols: ["AAPL", "MSFT"] } })).body as {
        rule: AdminAlertRule;
      }
    ).rule;
    await t.database.db.$client.query("update symbols set status = 'removed' where symbol = 'MSFT'");
    const renamed = { ...RULE, name: "renamed", scope: { kind: "symbols", symbols: ["AAPL", "MSFT"] } };
    expect((await t.h.call(api().update, { method: "PUT", body: renamed, ...item(id) })).status).toBe(200);
    const widened = { ...renamed, scope: { kind: "symbols", symbols: ["AAPL", "MSFT", "QQQQ"] } };
    const refused = await t.h.call(api().update, { method: "PUT", body: widened, ...item(id) });
    expect(refused.status).toBe(400);
    expect(messageOf(refused.body)).toBe(
      "scope.symbols: QQQQ is not a followed symbol (add it under Symbols first)",
    );
  });

  it("edits a rule (version bumped, before and after audited), pauses, resumes and retires it", async () => {
    const { id } = ((await create()).body as { rule: AdminAlertRule }).rule;
    const edit = { ...RULE, condition: { ...RULE.condition, level: 210 }, cooldownMinutes: 0 };
    const edited = await t.h.call(api().update, { method: "PUT", body: edit, ...item(id) });
    expect(edited.status).toBe(200);
    expect((edited.body as { rule: AdminAlertRule }).rule).toMatchObject({ ...edit, id, version: 2 });

    const paused = await t.h.call(api().setStatus, {
      method: "PATCH",
      body: { status: "paused" },
      ...item(id),
    });
    expect((paused.body as { rule: AdminAlertRule }).rule).toMatchObject({ status: "paused", version: 2 });
    const again = await t.h.call(api().setStatus, {
      method: "PATCH",
      body: { status: "paused" },
      ...item(id),
    });
    expect(again.status).toBe(200);
    await t.h.call(api().setStatus, { method: "PATCH", body: { status: "enabled" }, ...item(id) });

    const removed = await t.h.call(api().remove, { method: "DELETE", ...item(id) });
    expect(removed.body).toEqual({ id, deleted: true });
    const [row] = await t.database.db.select().from(alertRules).where(eq(alertRules.id, id));
    expect(row!.deletedAt).not.toBeNull();
    const listed = await t.h.call(api().list, { path: "/api/admin/alert-rules" });
    expect((listed.body as { rules: unknown[] }).rules).toEqual([]);
    expect((await t.h.call(api().remove, { method: "DELETE", ...item(id) })).status).toBe(404);
    expect((await t.h.call(api().update, { method: "PUT", body: RULE, ...item(id) })).status).toBe(404);

    const entries = await auditRows();
    // The second pause changed nothing and wrote nothing.
    expect(entries.map((e) => e.action)).toEqual([
      "alert_rule.create",
      "alert_rule.update",
      "alert_rule.pause",
      "alert_rule.resume",
      "alert_rule.delete",
    ]);
    expect(entries[1]).toMatchObject({
      before: { version: 1, cooldownMinutes: 15, condition: { level: 200 } },
      after: { version: 2, cooldownMinutes: 0, condition: { level: 210 } },
    });
    expect(entries[4]).toMatchObject({ before: { id, status: "enabled" }, after: null });
  });

  it("needs a session for every call and the CSRF token for changes", async () => {
    const { id } = ((await create()).body as { rule: AdminAlertRule }).rule;
    const signedOut = { isSignedIn: false } as const;
    expect((await t.h.call(api().list, { path: "/api/admin/alert-rules", ...signedOut })).status).toBe(401);
    expect(
      (
        await t.h.call(api().create, {
          method: "POST",
          path: "/api/admin/alert-rules",
          body: RULE,
          ...signedOut,
        })
      ).status,
    ).toBe(401);
    const noCsrf = { headers: { "x-csrf-token": "" } };
    const refused = [
      await t.h.call(api().create, { method: "POST", path: "/api/admin/alert-rules", body: RULE, ...noCsrf }),
      await t.h.call(api().update, { method: "PUT", body: RULE, ...item(id), ...noCsrf }),
      await t.h.call(api().setStatus, {
        method: "PATCH",
        body: { status: "paused" },
        ...item(id),
        ...noCsrf,
      }),
      await t.h.call(api().remove, { method: "DELETE", ...item(id), ...noCsrf }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(messageOf(refused[0]!.body)).toContain("CSRF");
    const [row] = await t.database.db.select().from(alertRules).where(eq(alertRules.id, id));
    expect(row).toMatchObject({ status: "enabled", deletedAt: null, version: 1 });
    expect((await auditRows()).map((e) => e.action)).toEqual(["alert_rule.create"]);
  });

  it("400 for an id that is not a number, 404 for an unknown one", async () => {
    expect((await t.h.call(api().remove, { method: "DELETE", ...item("1;drop") })).status).toBe(400);
    expect((await t.h.call(api().remove, { method: "DELETE", ...item(999) })).status).toBe(404);
  });
});
