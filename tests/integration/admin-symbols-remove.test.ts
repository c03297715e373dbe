import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";

import type { AdminSymbolView } from "@/lib/admin/admin-views";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { dailyStats, factPrices, ingestCursors, kpiSnapshots, rawTicks } from "@/lib/db/schema";

import {
  auditFor,
  fillGoogAndAmznHistory,
  messageOf,
  removeSymbol,
  symbolRow,
  useAdminSymbolsTest,
} from "./support/admin-symbols";

const t = useAdminSymbolsTest();

describe("removing, re-adding and purging", () => {
  beforeEach(() => fillGoogAndAmznHistory(t));

  it("lists each symbol with ticks today = bars of its latest trading day, and its last tick", async () => {
    const res = await t.h.call(t.h.api.listSymbols);
    expect(res.status).toBe(200);
    const goog = (res.body as { symbols: AdminSymbolView[] }).symbols.find((s) => s.symbol === "GOOG")!;
    const [latest] = await t.database.db
      .select({
        day: factPrices.tradeDate,
        n: sql<number>`count(*)::int`,
        last: sql<string>`max(${factPrices.ts})::text`,
      })
      .from(factPrices)
      .where(eq(factPrices.symbol, "GOOG"))
      .groupBy(factPrices.tradeDate)
      .orderBy(sql`${factPrices.tradeDate} desc`)
      .limit(1);
    expect(goog).toMatchObject({
      status: "active",
      source: "replay",
      latestTradeDate: latest!.day,
      ticksToday: latest!.n,
    });
    expect(goog.ticksToday).toBeGreaterThan(300);
    expect(goog.lastTickAt).toBe(Date.parse(latest!.last.replace(" ", "T").replace(/\+00$/, "Z")));
  });

  it("409 for a purge before removal", async () => {
    const res = await t.h.call(t.h.api.purgeSymbol, {
      method: "POST",
      params: { symbol: "GOOG" },
      body: { confirm: "GOOG" },
    });
    expect(res.status).toBe(409);
    expect(messageOf(res.body)).toBe("GOOG is active: remove it before purging its history");
  });

  it("remove: status removed, history kept, audited; PATCH on it is 409", async () => {
    const res = await t.h.call(t.h.api.removeSymbol, { method: "DELETE", params: { symbol: "GOOG" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, symbol: { status: "removed" } });
    expect((await symbolRow(t, "GOOG"))!.removedAt).not.toBeNull();
    expect(
      (await t.database.db.select().from(factPrices).where(eq(factPrices.symbol, "GOOG"))).length,
    ).toBeGreaterThan(300);
    expect((await auditFor(t, "GOOG"))[0]).toMatchObject({
      action: "symbol.remove",
      before: { status: "active" },
      after: { status: "removed" },
    });
    expect(
      (
        await t.h.call(t.h.api.updateSymbol, {
          method: "PATCH",
          params: { symbol: "GOOG" },
          body: { status: "active" },
        })
      ).status,
    ).toBe(409);
  });

  it("purge: 400 without or with a wrong confirmation, and nothing is deleted", async () => {
    await removeSymbol(t, "GOOG");
    const missing = await t.h.call(t.h.api.purgeSymbol, {
      method: "POST",
      params: { symbol: "GOOG" },
      body: {},
    });
    expect(missing.status).toBe(400);
    expect(messageOf(missing.body)).toMatch(/confirm is required/);
    const wrong = await t.h.call(t.h.api.purgeSymbol, {
      method: "POST",
      params: { symbol: "GOOG" },
      body: { confirm: "AMZN" },
    });
    expect(wrong.status).toBe(400);
    expect(messageOf(wrong.body)).toBe(
      `to delete GOOG's history, confirm with the symbol itself: {"confirm": "GOOG"}`,
    );
    expect(
      (await t.database.db.select().from(factPrices).where(eq(factPrices.symbol, "GOOG"))).length,
    ).toBeGreaterThan(300);
  });

  it('purge with {"confirm": "GOOG"} deletes its rows in all five tables, keeps other symbols\' rows, and audits the counts', async () => {
    const count = async (
      table:
        typeof factPrices | typeof dailyStats | typeof kpiSnapshots | typeof rawTicks | typeof ingestCursors,
      symbol: string,
    ) =>
      (
        await t.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(table)
          .where(eq(table.symbol, symbol))
      )[0]!.n;
    const tables = { factPrices, dailyStats, kpiSnapshots, rawTicks, ingestCursors };
    const before = Object.fromEntries(
      await Promise.all(Object.entries(tables).map(async ([k, t]) => [k, await count(t, "GOOG")] as const)),
    );
    const bystander = Object.fromEntries(
      await Promise.all(Object.entries(tables).map(async ([k, t]) => [k, await count(t, "AMZN")] as const)),
    );
    expect(Object.values(before).every((n) => n > 0)).toBe(true);
    await removeSymbol(t, "GOOG");

    const res = await t.h.call(t.h.api.purgeSymbol, {
      method: "POST",
      params: { symbol: "goog" },
      body: { confirm: "GOOG" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ symbol: "GOOG", deleted: before });
    for (const [name, table] of Object.entries(tables)) {
      expect(await count(table, "GOOG"), name).toBe(0);
      expect(await count(table, "AMZN"), name).toBe(bystander[name]);
    }
    expect(await symbolRow(t, "GOOG")).toMatchObject({ status: "removed" });
    expect((await auditFor(t, "GOOG"))[0]).toMatchObject({
      action: "symbol.purge",
      after: { deleted: before },
    });
  });

  it("adding a removed symbol again reactivates it (201), audited as reactivation", async () => {
    await removeSymbol(t, "GOOG");
    const res = await t.h.call(t.h.api.addSymbols, { method: "POST", body: { symbols: "goog" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: [], reactivated: ["GOOG"] });
    expect(await symbolRow(t, "GOOG")).toMatchObject({
      status: "active",
      removedAt: null,
      statusReason: null,
    });
    expect((await auditFor(t, "GOOG"))[0]).toMatchObject({
      action: "symbol.reactivate",
      before: { status: "removed" },
      after: { status: "active" },
    });
  });

  it("resuming an invalid symbol checks the source again", async () => {
    await insertSymbols(t.database.db, [
      { symbol: "XYZ9", status: "invalid", statusReason: "no recorded bars" },
    ]);
    const res = await t.h.call(t.h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "XYZ9" },
      body: { status: "active" },
    });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(/^cannot resume XYZ9: no recorded bars for XYZ9/);
    expect(await symbolRow(t, "XYZ9")).toMatchObject({ status: "invalid" });
  });
});
