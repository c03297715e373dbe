import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect } from "vitest";

import { createAdminApiHarness, type AdminApiHarness } from "@/tests/support/admin/admin-api-harness";
import type { AuditEntryView } from "@/lib/admin/admin-views";
import type { SymbolValidator } from "@/lib/admin/symbol-validator";
import { saveIngestCursors } from "@/lib/db/queries/ingest-cursors";
import { insertRawTicks } from "@/lib/db/queries/raw-ticks";
import { symbols } from "@/lib/db/schema";

import { fillWithRecordedBars } from "../bi-helpers";
import { createTestDatabase, testLogger, type TestDatabase } from "../helpers";

// Shared arrangement of the admin-symbols-*.test.ts files, which drive the admin symbol API in process.

/** The current test's database and signed-in admin API. */
export type AdminSymbolsTest = { database: TestDatabase; h: AdminApiHarness };

/**
 * Gives every test of the calling file its own empty database and a signed-in admin: none depends on
 * another's leftovers, so any test passes alone and in any order. The fields of the returned object
 * are replaced before each test.
 */
export function useAdminSymbolsTest(): AdminSymbolsTest {
  const t = {} as AdminSymbolsTest;
  beforeEach(async () => {
    t.database = await createTestDatabase();
    t.h = createAdminApiHarness({ db: t.database.db, logger: testLogger });
    await t.h.signIn();
  });
  afterEach(async () => {
    await t.database.drop();
  });
  return t;
}

/**
 * Switches the current test to a Yahoo deployment (the one source that polls), whose lookup finds every
 * ticker, with no network; signed in again.
 */
export async function useYahooDeployment(t: AdminSymbolsTest): Promise<void> {
  const validator: SymbolValidator = {
    source: "yahoo",
    check: (list) =>
      Promise.resolve({
        found: list.map((symbol) => ({ symbol, displayName: null, exchangeTimezone: null })),
        rejected: [],
      }),
  };
  t.h = createAdminApiHarness({ db: t.database.db, logger: testLogger, defaultSource: "yahoo", validator });
  await t.h.signIn();
}

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
export const messageOf = (body: unknown) => (body as ErrorBody).error.message;
/** Inputs that are not a list of well-formed symbols. */
export const MALFORMED = [
  "AAPL'; DROP TABLE symbols;--",
  "<script>alert(1)</script>",
  "$(rm -rf /)",
  "../../etc/passwd",
];
/** Path parameters that are not one well-formed symbol. */
export const INJECTIONS = [...MALFORMED, "NVDA OR 1=1"];

export async function auditFor(t: AdminSymbolsTest, symbol: string): Promise<AuditEntryView[]> {
  const res = await t.h.call(t.h.api.listAudit, {
    path: `/api/admin/audit?symbol=${encodeURIComponent(symbol)}&limit=50`,
  });
  return (res.body as { entries: AuditEntryView[] }).entries;
}

export async function symbolRow(t: AdminSymbolsTest, symbol: string) {
  const [row] = await t.database.db.select().from(symbols).where(eq(symbols.symbol, symbol));
  return row ?? null;
}

/** Adds symbols through the API, as an admin would, and checks that they were added. */
export async function addSymbols(
  t: AdminSymbolsTest,
  list: string,
  pollIntervalSeconds?: number,
): Promise<void> {
  const res = await t.h.call(t.h.api.addSymbols, {
    method: "POST",
    body: { symbols: list, pollIntervalSeconds },
  });
  expect(res.status).toBe(201);
}

export async function removeSymbol(t: AdminSymbolsTest, symbol: string): Promise<void> {
  const res = await t.h.call(t.h.api.removeSymbol, { method: "DELETE", params: { symbol } });
  expect(res.status).toBe(200);
}

/** Real history for GOOG (two recorded days through the stream worker's batch handler), AMZN as a bystander. */
export async function fillGoogAndAmznHistory(t: AdminSymbolsTest): Promise<void> {
  await fillWithRecordedBars(t.database.db, { symbols: ["GOOG", "AMZN"], days: 2 });
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
  await insertRawTicks(t.database.db, [
    { topic: "t", partition: 0, offset: 1, tick: { ...tick, symbol: "GOOG" } },
    { topic: "t", partition: 0, offset: 2, tick: { ...tick, symbol: "AMZN" } },
  ]);
  await saveIngestCursors(t.database.db, [
    { symbol: "GOOG", source: "replay", lastTs: 0, replaySeq: 5 },
    { symbol: "AMZN", source: "replay", lastTs: 0, replaySeq: 5 },
  ]);
}
