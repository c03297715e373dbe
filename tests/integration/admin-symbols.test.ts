import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createAdminApiHarness, type AdminApiHarness } from "@/tests/support/admin/admin-api-harness";
import type { AdminSymbolView, AuditEntryView } from "@/lib/admin/admin-views";
import type { SymbolValidator } from "@/lib/admin/symbol-validator";
import { saveIngestCursors } from "@/lib/db/queries/ingest-cursors";
import { insertRawTicks } from "@/lib/db/queries/raw-ticks";
import { insertSymbols } from "@/lib/db/queries/symbols";
import {
  adminAuditLog,
  dailyStats,
  factPrices,
  ingestCursors,
  kpiSnapshots,
  rawTicks,
  symbols,
} from "@/lib/db/schema";
import { watchActiveSymbols, type IngestSymbol } from "@/lib/ingest/symbol-registry";

import { fillWithRecordedBars } from "./bi-helpers";
import { createTestDatabase, testLogger, waitFor, type TestDatabase } from "./helpers";

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
const messageOf = (body: unknown) => (body as ErrorBody).error.message;
/** Inputs that are not a list of well-formed symbols. */
const MALFORMED = [
  "AAPL'; DROP TABLE symbols;--",
  "<script>alert(1)</script>",
  "$(rm -rf /)",
  "../../etc/passwd",
];
/** Path parameters that are not one well-formed symbol. */
const INJECTIONS = [...MALFORMED, "NVDA OR 1=1"];

let database: TestDatabase;
let h: AdminApiHarness;

async function auditFor(symbol: string): Promise<AuditEntryView[]> {
  const res = await h.call(h.api.listAudit, {
    path: `/api/admin/audit?symbol=${encodeURIComponent(symbol)}&limit=50`,
  });
  return (res.body as { entries: AuditEntryView[] }).entries;
}

async function symbolRow(symbol: string) {
  const [row] = await database.db.select().from(symbols).where(eq(symbols.symbol, symbol));
  return row ?? null;
}

/** Adds symbols through the API, as an admin would, and checks that they were added. */
async function addSymbols(list: string, pollIntervalSeconds?: number): Promise<void> {
  const res = await h.call(h.api.addSymbols, {
    method: "POST",
    body: { symbols: list, pollIntervalSeconds },
  });
  expect(res.status).toBe(201);
}

/** Real history for GOOG (two recorded days through the stream worker's batch handler), AMZN as a bystander. */
async function fillGoogAndAmznHistory(): Promise<void> {
  await fillWithRecordedBars(database.db, { symbols: ["GOOG", "AMZN"], days: 2 });
  const tick = {
    v: 1,
    ts: 0,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1,
    source: "replay",
    producedAt: 0,
  } as const;
  await insertRawTicks(database.db, [
    { topic: "t", partition: 0, offset: 1, tick: { ...tick, symbol: "GOOG" } },
    { topic: "t", partition: 0, offset: 2, tick: { ...tick, symbol: "AMZN" } },
  ]);
  await saveIngestCursors(database.db, [
    { symbol: "GOOG", source: "replay", lastTs: 0, replaySeq: 5 },
    { symbol: "AMZN", source: "replay", lastTs: 0, replaySeq: 5 },
  ]);
}

/** A Yahoo deployment (the one source that polls), whose lookup finds every ticker, with no network. */
async function useYahooDeployment(): Promise<void> {
  const validator: SymbolValidator = {
    source: "yahoo",
    check: (list) =>
      Promise.resolve({
        found: list.map((symbol) => ({ symbol, displayName: null, exchangeTimezone: null })),
        rejected: [],
      }),
  };
  h = createAdminApiHarness({ db: database.db, logger: testLogger, defaultSource: "yahoo", validator });
  await h.signIn();
}

async function removeSymbol(symbol: string): Promise<void> {
  const res = await h.call(h.api.removeSymbol, { method: "DELETE", params: { symbol } });
  expect(res.status).toBe(200);
}

// Every test starts from its own empty database and arranges what it needs: none depends on another's
// leftovers, so any test passes alone and in any order.
beforeEach(async () => {
  database = await createTestDatabase();
  h = createAdminApiHarness({ db: database.db, logger: testLogger });
  await h.signIn();
});

afterEach(async () => {
  await database.drop();
});

describe("adding symbols", () => {
  it("201 adds several symbols from a comma/space list, each audited with who, what, after and client IP", async () => {
    await useYahooDeployment();
    const res = await h.call(h.api.addSymbols, {
      method: "POST",
      body: { symbols: "nvda,  META", pollIntervalSeconds: 30 },
      ip: "203.0.113.77",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ added: ["NVDA", "META"], reactivated: [], alreadyFollowed: [], rejected: [] });
    expect(await symbolRow("NVDA")).toMatchObject({
      status: "active",
      pollIntervalSeconds: 30,
      source: null,
      exchangeTimezone: "America/New_York",
    });
    const [entry] = await auditFor("NVDA");
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
    await addSymbols("NVDA");
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: ["NVDA", "nvda"] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: [], alreadyFollowed: [{ symbol: "NVDA", status: "active" }] });
    expect(await database.db.select().from(symbols).where(eq(symbols.symbol, "NVDA"))).toHaveLength(1);
    expect((await auditFor("NVDA")).filter((e) => e.action === "symbol.add")).toHaveLength(1);
  });

  it("checks the source: 400 for a symbol without recorded bars (replay), with the reason", async () => {
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: "ZZZZ" } });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(
      /^no recorded bars for ZZZZ in the replay data \(recorded: AAPL, AMZN, GOOG/,
    );
    expect(await symbolRow("ZZZZ")).toBeNull();
  });

  it("201 for a mixed list: the valid one is added, the unknown one reported", async () => {
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: "TSLA ZZZZ" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: ["TSLA"], rejected: [{ symbol: "ZZZZ" }] });
  });

  it.each(MALFORMED)("400 for injection or markup %j, and the table is untouched", async (input) => {
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: input } });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(/^symbols: not a valid symbol: /);
    expect(await database.db.select().from(symbols)).toEqual([]);
  });

  it('"NVDA OR 1=1" is a list of three words: each is checked on its own and only NVDA is added', async () => {
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: "NVDA OR 1=1" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: ["NVDA"], rejected: [{ symbol: "OR" }, { symbol: "1=1" }] });
    expect((await database.db.select().from(symbols)).map((r) => r.symbol)).toEqual(["NVDA"]);
  });

  it("400 for a poll interval on a source that does not poll (replay): nothing added, nothing audited", async () => {
    const res = await h.call(h.api.addSymbols, {
      method: "POST",
      body: { symbols: "NVDA, META", pollIntervalSeconds: 30 },
    });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toBe(
      "pollIntervalSeconds: NVDA, META are not polled (source replay): a poll interval would have no effect",
    );
    expect(await database.db.select().from(symbols)).toEqual([]);
    expect(
      await database.db.select().from(adminAuditLog).where(eq(adminAuditLog.action, "symbol.add")),
    ).toEqual([]);
  });

  it("400 for a poll interval outside 5..3600 s", async () => {
    const res = await h.call(h.api.addSymbols, {
      method: "POST",
      body: { symbols: "AMZN", pollIntervalSeconds: 2 },
    });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toBe("pollIntervalSeconds: must be between 5 and 3600 seconds");
  });
});

describe("changing a symbol", () => {
  it("pause and resume: 200, audited with before and after, and the ingest worker's registry sees it within 5 s", async () => {
    await useYahooDeployment();
    await addSymbols("NVDA", 30);
    let latest: IngestSymbol[] = [];
    const registry = watchActiveSymbols({
      db: database.db,
      url: database.url,
      logger: testLogger,
      defaultSource: "yahoo",
      onChange: (list) => (latest = list),
      pollMs: 60_000,
    });
    try {
      await waitFor("NVDA followed", () => latest.some((s) => s.symbol === "NVDA"), 5_000);
      const paused = await h.call(h.api.updateSymbol, {
        method: "PATCH",
        params: { symbol: "nvda" },
        body: { status: "paused" },
      });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({
        changed: true,
        symbol: { symbol: "NVDA", status: "paused", source: "yahoo" },
      });
      await waitFor(
        "NVDA dropped by the ingest registry (NOTIFY)",
        () => !latest.some((s) => s.symbol === "NVDA"),
        5_000,
      );

      const resumed = await h.call(h.api.updateSymbol, {
        method: "PATCH",
        params: { symbol: "NVDA" },
        body: { status: "active", pollIntervalSeconds: 15 },
      });
      expect(resumed.status).toBe(200);
      await waitFor(
        "NVDA back at 15 s",
        () => latest.find((s) => s.symbol === "NVDA")?.pollIntervalSeconds === 15,
        5_000,
      );
    } finally {
      await registry.stop();
    }
    const [update, pause] = await auditFor("NVDA");
    expect(pause).toMatchObject({
      action: "symbol.pause",
      before: { status: "active" },
      after: { status: "paused" },
    });
    expect(update).toMatchObject({
      action: "symbol.update",
      before: { status: "paused", pollIntervalSeconds: 30 },
      after: { status: "active", pollIntervalSeconds: 15 },
    });
  });

  it("a request that changes nothing writes no audit entry", async () => {
    await useYahooDeployment();
    await addSymbols("NVDA", 15);
    const before = (await auditFor("NVDA")).length;
    const res = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "NVDA" },
      body: { pollIntervalSeconds: 15 },
    });
    expect(res.body).toMatchObject({ changed: false });
    expect(await auditFor("NVDA")).toHaveLength(before);
  });

  it("400 for a poll interval on a replay or external symbol, even with a status change; nothing changed or audited", async () => {
    await addSymbols("NVDA");
    await insertSymbols(database.db, [
      { symbol: "EXT", source: "external", status: "active", exchangeTimezone: "America/New_York" },
    ]);
    const before = await auditFor("NVDA");
    const replay = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "NVDA" },
      body: { status: "paused", pollIntervalSeconds: 15 },
    });
    expect(replay.status).toBe(400);
    expect(messageOf(replay.body)).toBe(
      "pollIntervalSeconds: NVDA is not polled (source replay): a poll interval would have no effect",
    );
    expect(await symbolRow("NVDA")).toMatchObject({ status: "active", pollIntervalSeconds: 60 });
    expect(await auditFor("NVDA")).toEqual(before);
    const external = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "EXT" },
      body: { pollIntervalSeconds: 15 },
    });
    expect(external.status).toBe(400);
    expect(messageOf(external.body)).toMatch(/^pollIntervalSeconds: EXT is not polled \(source external\)/);
  });

  it("a Yahoo symbol in a replay deployment keeps its own source: its poll interval can be set", async () => {
    await insertSymbols(database.db, [
      { symbol: "IBM", source: "yahoo", status: "paused", exchangeTimezone: "America/New_York" },
    ]);
    const res = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "IBM" },
      body: { pollIntervalSeconds: 120 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, symbol: { source: "yahoo", pollIntervalSeconds: 120 } });
    expect((await auditFor("IBM"))[0]).toMatchObject({
      action: "symbol.poll_interval",
      before: { pollIntervalSeconds: 60 },
      after: { pollIntervalSeconds: 120 },
    });
  });

  it("400 for an empty change or an interval out of range; 404 for an unknown symbol; 400 for a malformed one", async () => {
    await addSymbols("NVDA");
    expect(
      messageOf(
        (await h.call(h.api.updateSymbol, { method: "PATCH", params: { symbol: "NVDA" }, body: {} })).body,
      ),
    ).toBe("send status and/or pollIntervalSeconds");
    expect(
      (
        await h.call(h.api.updateSymbol, {
          method: "PATCH",
          params: { symbol: "NVDA" },
          body: { pollIntervalSeconds: 3601 },
        })
      ).status,
    ).toBe(400);
    const unknown = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "QQQ" },
      body: { status: "paused" },
    });
    expect(unknown.status).toBe(404);
    expect(messageOf(unknown.body)).toBe("QQQ is not a followed symbol");
    for (const symbol of INJECTIONS) {
      const res = await h.call(h.api.updateSymbol, {
        method: "PATCH",
        params: { symbol },
        body: { status: "paused" },
      });
      expect(res.status, symbol).toBe(400);
    }
    expect((await h.call(h.api.removeSymbol, { method: "DELETE", params: { symbol: "NOPE" } })).status).toBe(
      404,
    );
  });
});

describe("removing, re-adding and purging", () => {
  beforeEach(fillGoogAndAmznHistory);

  it("lists each symbol with ticks today = bars of its latest trading day, and its last tick", async () => {
    const res = await h.call(h.api.listSymbols);
    expect(res.status).toBe(200);
    const goog = (res.body as { symbols: AdminSymbolView[] }).symbols.find((s) => s.symbol === "GOOG")!;
    const [latest] = await database.db
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
    const res = await h.call(h.api.purgeSymbol, {
      method: "POST",
      params: { symbol: "GOOG" },
      body: { confirm: "GOOG" },
    });
    expect(res.status).toBe(409);
    expect(messageOf(res.body)).toBe("GOOG is active: remove it before purging its history");
  });

  it("remove: status removed, history kept, audited; PATCH on it is 409", async () => {
    const res = await h.call(h.api.removeSymbol, { method: "DELETE", params: { symbol: "GOOG" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, symbol: { status: "removed" } });
    expect((await symbolRow("GOOG"))!.removedAt).not.toBeNull();
    expect(
      (await database.db.select().from(factPrices).where(eq(factPrices.symbol, "GOOG"))).length,
    ).toBeGreaterThan(300);
    expect((await auditFor("GOOG"))[0]).toMatchObject({
      action: "symbol.remove",
      before: { status: "active" },
      after: { status: "removed" },
    });
    expect(
      (
        await h.call(h.api.updateSymbol, {
          method: "PATCH",
          params: { symbol: "GOOG" },
          body: { status: "active" },
        })
      ).status,
    ).toBe(409);
  });

  it("purge: 400 without or with a wrong confirmation, and nothing is deleted", async () => {
    await removeSymbol("GOOG");
    const missing = await h.call(h.api.purgeSymbol, { method: "POST", params: { symbol: "GOOG" }, body: {} });
    expect(missing.status).toBe(400);
    expect(messageOf(missing.body)).toMatch(/confirm is required/);
    const wrong = await h.call(h.api.purgeSymbol, {
      method: "POST",
      params: { symbol: "GOOG" },
      body: { confirm: "AMZN" },
    });
    expect(wrong.status).toBe(400);
    expect(messageOf(wrong.body)).toBe(
      `to delete GOOG's history, confirm with the symbol itself: {"confirm": "GOOG"}`,
    );
    expect(
      (await database.db.select().from(factPrices).where(eq(factPrices.symbol, "GOOG"))).length,
    ).toBeGreaterThan(300);
  });

  it('purge with {"confirm": "GOOG"} deletes its rows in all five tables, keeps other symbols\' rows, and audits the counts', async () => {
    const count = async (
      table:
        typeof factPrices | typeof dailyStats | typeof kpiSnapshots | typeof rawTicks | typeof ingestCursors,
      symbol: string,
    ) =>
      (
        await database.db
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
    await removeSymbol("GOOG");

    const res = await h.call(h.api.purgeSymbol, {
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
    expect(await symbolRow("GOOG")).toMatchObject({ status: "removed" });
    expect((await auditFor("GOOG"))[0]).toMatchObject({ action: "symbol.purge", after: { deleted: before } });
  });

  it("adding a removed symbol again reactivates it (201), audited as reactivation", async () => {
    await removeSymbol("GOOG");
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: "goog" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: [], reactivated: ["GOOG"] });
    expect(await symbolRow("GOOG")).toMatchObject({ status: "active", removedAt: null, statusReason: null });
    expect((await auditFor("GOOG"))[0]).toMatchObject({
      action: "symbol.reactivate",
      before: { status: "removed" },
      after: { status: "active" },
    });
  });

  it("resuming an invalid symbol checks the source again", async () => {
    await insertSymbols(database.db, [
      { symbol: "XYZ9", status: "invalid", statusReason: "no recorded bars" },
    ]);
    const res = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "XYZ9" },
      body: { status: "active" },
    });
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(/^cannot resume XYZ9: no recorded bars for XYZ9/);
    expect(await symbolRow("XYZ9")).toMatchObject({ status: "invalid" });
  });
});

describe("audit log", () => {
  it("lists entries newest first and pages back with `before`", async () => {
    await addSymbols("AAPL MSFT NVDA META TSLA AMZN");
    const first = await h.call(h.api.listAudit, { path: "/api/admin/audit?limit=3" });
    expect(first.status).toBe(200);
    const page1 = first.body as { entries: AuditEntryView[]; nextBefore: number | null };
    expect(page1.entries).toHaveLength(3);
    expect(page1.entries.map((e) => e.id)).toEqual([...page1.entries.map((e) => e.id)].sort((a, b) => b - a));
    expect(page1.nextBefore).toBe(page1.entries[2]!.id);
    const second = await h.call(h.api.listAudit, {
      path: `/api/admin/audit?limit=3&before=${page1.nextBefore}`,
    });
    const page2 = second.body as { entries: AuditEntryView[] };
    expect(page2.entries[0]!.id).toBeLessThan(page1.nextBefore!);
    const total = (await database.db.select({ n: sql<number>`count(*)::int` }).from(adminAuditLog))[0]!.n;
    const all = await h.call(h.api.listAudit, { path: "/api/admin/audit?limit=200" });
    expect((all.body as { entries: unknown[]; nextBefore: null }).entries).toHaveLength(total);
  });

  it("400 for a bad query, 401 when signed out", async () => {
    expect((await h.call(h.api.listAudit, { path: "/api/admin/audit?limit=0" })).status).toBe(400);
    expect((await h.call(h.api.listAudit, { path: "/api/admin/audit?symbol=%27%3B--" })).status).toBe(400);
    expect((await h.call(h.api.listAudit, { path: "/api/admin/audit", isSignedIn: false })).status).toBe(401);
  });
});
