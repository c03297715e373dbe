import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { adminAuditLog, symbols } from "@/lib/db/schema";

import {
  addSymbols,
  auditFor,
  MALFORMED,
  messageOf,
  symbolRow,
  useAdminSymbolsTest,
  useYahooDeployment,
} from "./support/admin-symbols";

const t = useAdminSymbolsTest();

describe("adding symbols", () => {
  it("201 adds several symbols from a comma/space list, each audited with who, what, after and client IP", async () => {
    await useYahooDeployment(t);
    const res = await t.h.call(t.h.api.addSymbols, {
      method: "POST",
      body: { symbols: "nvda,  META", pollIntervalSeconds: 30 },
      ip: "203.0.113.77",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ added: ["NVDA", "META"], reactivated: [], alreadyFollowed: [], rejected: [] });
    expect(await symbolRow(t, "NVDA")).toMatchObject({
      status: "active",
      pollIntervalSeconds: 30,
      source: null,
      exchangeTimezone: "America/New_York",
    });
    const [entry] = await auditFor(t, "NVDA");
    expect(entry).toMatchObject({
      actor: "admin",
      action: "symbol.add",
      symbol: "NVDA",
      before: null,
      clientIp: "203.0.113.77",
    });
    expect(entry!.after).toMatchObject({ status: "active", pollIntervalSeconds: 30 });
  });

  it("200 reports duplicates as already followed and does not double them", async () => {
    await addSymbols(t, "NVDA");
    const res = await t.h.call(t.h.api.addSymbols, { method: "POST", body: { symbols: ["NVDA", "nvda"] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: [], alreadyFollowed: [{ symbol: "NVDA", status: "active" }] });
    expect(await t.database.db.select().from(symbols).where(eq(symbols.symbol, "NVDA"))).toHaveLength(1);
    expect((await auditFor(t, "NVDA")).filter((e) => e.action === "symbol.add")).toHaveLength(1);
  });

  it("checks the source: 400 for a symbol without recorded bars (replay), with the reason", async () => {
    const res = await t.h.call(t.h.api.addSymbols, { method: "POST", body: { symbols: "ZZZZ" } });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(
      /^no recorded bars for ZZZZ in the replay data \(recorded: AAPL, AMZN, GOOG/,
    );
    expect(await symbolRow(t, "ZZZZ")).toBeNull();
  });

  it("201 for a mixed list: the valid one is added, the unknown one reported", async () => {
    const res = await t.h.call(t.h.api.addSymbols, { method: "POST", body: { symbols: "TSLA ZZZZ" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: ["TSLA"], rejected: [{ symbol: "ZZZZ" }] });
  });

  it.each(MALFORMED)("400 for injection or markup %j, and the table is untouched", async (input) => {
    const res = await t.h.call(t.h.api.addSymbols, { method: "POST", body: { symbols: input } });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(/^symbols: not a valid symbol: /);
    expect(await t.database.db.select().from(symbols)).toEqual([]);
  });

  it('"NVDA OR 1=1" is a list of three words: each is checked on its own and only NVDA is added', async () => {
    const res = await t.h.call(t.h.api.addSymbols, { method: "POST", body: { symbols: "NVDA OR 1=1" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: ["NVDA"], rejected: [{ symbol: "OR" }, { symbol: "1=1" }] });
    expect((await t.database.db.select().from(symbols)).map((r) => r.symbol)).toEqual(["NVDA"]);
  });

  it("400 for a poll interval on a source that does not poll (replay): nothing added, nothing audited", async () => {
    const res = await t.h.call(t.h.api.addSymbols, {
      method: "POST",
      body: { symbols: "NVDA, META", pollIntervalSeconds: 30 },
    });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toBe(
      "pollIntervalSeconds: NVDA, META are not polled (source replay): a poll interval would have no effect",
    );
    expect(await t.database.db.select().from(symbols)).toEqual([]);
    expect(
      await t.database.db.select().from(adminAuditLog).where(eq(adminAuditLog.action, "symbol.add")),
    ).toEqual([]);
  });

  it("400 for a poll interval outside 5..3600 s", async () => {
    const res = await t.h.call(t.h.api.addSymbols, {
      method: "POST",
      body: { symbols: "AMZN", pollIntervalSeconds: 2 },
    });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toBe("pollIntervalSeconds: must be between 5 and 3600 seconds");
  });
});
