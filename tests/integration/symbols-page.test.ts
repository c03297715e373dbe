import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAdminApiHarness, type AdminApiHarness } from "@/tests/support/admin/admin-api-harness";
import { listSymbolPage } from "@/lib/db/queries/symbols";
import type { AdminSymbolsResponse } from "@/lib/events/api-admin";
import { formatSymbolCursor, SYMBOLS_PAGE_MAX_LIMIT } from "@/lib/events/symbol-page";
import { compareSymbolSortKeys, rankSymbolMatch, type SymbolSortKey } from "@/lib/kpi/symbol-search";

import { createTestDatabase, testLogger, type TestDatabase } from "./helpers";

type Seeded = { symbol: string; displayName: string | null; status: string };

/**
 * 1,300 symbols: tickers of several shapes (BRK-B, WSU.DE, ^GSPC, EURUSD=X), names of every tenth
 * one (with LIKE's own characters % and _ in some), a tenth of them removed.
 */
function buildSymbols(): Seeded[] {
  const rows: Seeded[] = [];
  const suffixes = ["", ".DE", "-B", "=X"];
  for (let i = 0; i < 1300; i++) {
    const base = (i * 7919).toString(36).toUpperCase().padStart(3, "Z").slice(-4);
    const symbol = `${i % 50 === 0 ? "^" : ""}${base}${suffixes[i % 4]}${i}`;
    const displayName =
      i % 10 === 0 ? (i % 20 === 0 ? `Abacus ${i}% Holdings` : `Global_${i} Cabinets`) : null;
    rows.push({ symbol, displayName, status: i % 10 === 3 ? "removed" : i % 7 === 0 ? "paused" : "active" });
  }
  return rows;
}

let database: TestDatabase;
let h: AdminApiHarness;
const seeded = buildSymbols();

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`
    insert into symbols (symbol, display_name, status)
    select symbol, "displayName", status
    from json_to_recordset(${JSON.stringify(seeded)}::json) as x(symbol text, "displayName" text, status text)`);
  h = createAdminApiHarness({ db: database.db, logger: testLogger });
  await h.signIn();
});

afterAll(async () => {
  await database?.drop();
});

/** What a search must answer, by the rules of lib/kpi/symbol-search.ts over the seeded rows. */
function expectedMatches(q: string | null, includeRemoved: boolean): string[] {
  return seeded
    .filter((s) => includeRemoved || s.status !== "removed")
    .flatMap((s): SymbolSortKey[] => {
      const rank = rankSymbolMatch(s, q);
      return rank === null ? [] : [{ rank, symbol: s.symbol }];
    })
    .sort(compareSymbolSortKeys)
    .map((k) => k.symbol);
}

/** Walks GET /api/admin/symbols page by page; every page's answer is returned too. */
async function walkAdminPages(query: { q?: string; limit: number }) {
  const pages: AdminSymbolsResponse[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.q !== undefined) params.set("q", query.q);
    if (cursor) params.set("cursor", cursor);
    const res = await h.call(h.api.listSymbols, { path: `/api/admin/symbols?${params.toString()}` });
    expect(res.status).toBe(200);
    const page = res.body as AdminSymbolsResponse;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 1000);
  return { pages, symbols: pages.flatMap((p) => p.symbols.map((s) => s.symbol)) };
}

describe("paged symbol lists", () => {
  it("the admin API lists every symbol exactly once across pages, in order, with the total and counts", async () => {
    const { pages, symbols } = await walkAdminPages({ limit: 97 });
    expect(symbols).toEqual(expectedMatches(null, true));
    expect(new Set(symbols).size).toBe(seeded.length);
    expect(pages).toHaveLength(Math.ceil(seeded.length / 97));
    expect(pages.every((p) => p.total === seeded.length)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.symbols.length === 97)).toBe(true);
    const count = (status: string) => seeded.filter((s) => s.status === status).length;
    expect(pages[0]!.statusCounts).toEqual({
      active: count("active"),
      paused: count("paused"),
      invalid: 0,
      removed: count("removed"),
    });
  });

  it("the dashboard's list leaves removed symbols out and pages the rest exactly once", async () => {
    const walked: string[] = [];
    let after: SymbolSortKey | undefined;
    let total = -1;
    for (let i = 0; i < 100; i++) {
      const page = await listSymbolPage(database.db, { q: null, limit: SYMBOLS_PAGE_MAX_LIMIT, after });
      walked.push(...page.rows.map((r) => r.symbol));
      total = page.total;
      if (!page.next) break;
      after = page.next;
    }
    expect(walked).toEqual(expectedMatches(null, false));
    expect(total).toBe(walked.length);
  });

  it.each(["a", "B-", "zz", "ABACUS", "cabinet", "%", "_", "=x", "^", "nothing-like-it"])(
    "a search for %j answers the symbols that start with it first, then those containing it or named so",
    async (q) => {
      const expected = expectedMatches(q, true);
      const { pages, symbols } = await walkAdminPages({ q, limit: 7 });
      expect(symbols).toEqual(expected);
      expect(pages[0]!.total).toBe(expected.length);
    },
  );

  it("a search is case-insensitive on symbol and name", async () => {
    const lower = await walkAdminPages({ q: "abacus 20%", limit: 50 });
    const upper = await walkAdminPages({ q: "ABACUS 20%", limit: 50 });
    expect(lower.symbols.length).toBeGreaterThan(0);
    expect(lower.symbols).toEqual(upper.symbols);
  });

  it("a symbol added in front of the cursor while paging neither shifts nor repeats the next page", async () => {
    const first = await listSymbolPage(database.db, { q: null, limit: 10, includeRemoved: true });
    const expectedNext = await listSymbolPage(database.db, {
      q: null,
      limit: 10,
      after: first.next!,
      includeRemoved: true,
    });
    await database.db.execute(sql`insert into symbols (symbol) values ('0000')`);
    try {
      const next = await listSymbolPage(database.db, {
        q: null,
        limit: 10,
        after: first.next!,
        includeRemoved: true,
      });
      expect(next.rows.map((r) => r.symbol)).toEqual(expectedNext.rows.map((r) => r.symbol));
      expect(next.total).toBe(expectedNext.total + 1);
    } finally {
      await database.db.execute(sql`delete from symbols where symbol = '0000'`);
    }
  });

  it.each([
    ["limit=0", /^limit: a whole number from 1 to 500$/],
    ["limit=501", /^limit: a whole number from 1 to 500$/],
    ["limit=ten", /^limit: a whole number from 1 to 500$/],
    ["cursor=AAPL", /^cursor: not a cursor: pass the nextCursor of the previous page$/],
    [`cursor=${encodeURIComponent("0:AAPL'; drop table symbols;--")}`, /^cursor: not a cursor/],
    [`q=${"x".repeat(65)}`, /^q: a search has at most 64 characters$/],
  ])("400 for %s, with what is wrong", async (params, message) => {
    const res = await h.call(h.api.listSymbols, { path: `/api/admin/symbols?${params}` });
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: "bad_request",
    });
    expect((res.body as { error: { message: string } }).error.message).toMatch(message);
  });

  it("a cursor names where to resume, not a row that must exist", async () => {
    const cursor = formatSymbolCursor({ rank: 0, symbol: "ZZZZZZ" });
    const res = await h.call(h.api.listSymbols, { path: `/api/admin/symbols?cursor=${cursor}` });
    expect(res.status).toBe(200);
    expect((res.body as AdminSymbolsResponse).symbols.map((s) => s.symbol)).toEqual(
      expectedMatches(null, true).filter((s) => s > "ZZZZZZ"),
    );
  });
});
