import { asc, eq, inArray, ne, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { symbols, type NewSymbolRow, type SymbolRow, type SymbolSource, type SymbolStatus } from "@/lib/db/schema";

/** PostgreSQL channel the `symbols` trigger notifies on insert, delete and admin-relevant updates. */
export const SYMBOLS_CHANNEL = "symbols_changed";

export async function listSymbols(db: DbOrTx, options: { includeRemoved?: boolean } = {}): Promise<SymbolRow[]> {
  return db
    .select()
    .from(symbols)
    .where(options.includeRemoved ? undefined : ne(symbols.status, "removed"))
    .orderBy(asc(symbols.symbol));
}

export async function listActiveSymbols(db: DbOrTx): Promise<SymbolRow[]> {
  return db.select().from(symbols).where(eq(symbols.status, "active")).orderBy(asc(symbols.symbol));
}

export async function getSymbol(db: DbOrTx, symbol: string): Promise<SymbolRow | null> {
  const [row] = await db.select().from(symbols).where(eq(symbols.symbol, symbol));
  return row ?? null;
}

/** Exchange time zone by symbol for the given symbols (those not registered are absent). */
export async function getSymbolTimeZones(db: DbOrTx, list: readonly string[]): Promise<Map<string, string>> {
  if (list.length === 0) return new Map();
  const rows = await db.select({ symbol: symbols.symbol, tz: symbols.exchangeTimezone }).from(symbols).where(inArray(symbols.symbol, [...list]));
  return new Map(rows.map((r) => [r.symbol, r.tz]));
}

/**
 * Registers symbols that arrived on the topic without being managed here, as `external` (fed from
 * outside; the ingest worker leaves them alone). Existing rows are untouched.
 */
export async function registerExternalSymbols(db: DbOrTx, list: readonly string[], timeZone: string): Promise<void> {
  if (list.length === 0) return;
  await db
    .insert(symbols)
    .values(list.map((symbol) => ({ symbol, source: "external" as const, status: "active" as const, exchangeTimezone: timeZone, statusReason: "first seen on the ticks topic" })))
    .onConflictDoNothing();
}

/** Inserts symbols that do not exist yet; returns the ones inserted. */
export async function insertSymbols(db: DbOrTx, rows: readonly NewSymbolRow[]): Promise<SymbolRow[]> {
  if (rows.length === 0) return [];
  return db.insert(symbols).values([...rows]).onConflictDoNothing().returning();
}

export type SymbolPatch = Partial<Pick<SymbolRow, "status" | "statusReason" | "source" | "pollIntervalSeconds" | "displayName" | "exchangeTimezone" | "removedAt">>;

export async function updateSymbol(db: DbOrTx, symbol: string, patch: SymbolPatch): Promise<SymbolRow | null> {
  const [row] = await db.update(symbols).set({ ...patch, updatedAt: sql`now()` }).where(eq(symbols.symbol, symbol)).returning();
  return row ?? null;
}

/** The ingest worker's report on a symbol: newest bar published, market state, last error. */
export async function recordIngestStatus(
  db: DbOrTx,
  symbol: string,
  status: { lastTickAt?: number; marketState?: string; lastError?: string | null; statusReason?: string | null },
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (status.lastTickAt !== undefined) set.lastTickAt = sql`greatest(${symbols.lastTickAt}, ${new Date(status.lastTickAt).toISOString()}::timestamptz)`;
  if (status.marketState !== undefined) set.marketState = status.marketState;
  if (status.lastError !== undefined) {
    set.lastError = status.lastError;
    set.lastErrorAt = status.lastError === null ? null : sql`now()`;
  }
  if (status.statusReason !== undefined) set.statusReason = status.statusReason;
  if (Object.keys(set).length === 0) return;
  await db.update(symbols).set(set).where(eq(symbols.symbol, symbol));
}

/** Marks a symbol invalid with the reason (unknown or delisted at its source). */
export async function markSymbolInvalid(db: DbOrTx, symbol: string, reason: string): Promise<void> {
  await db
    .update(symbols)
    .set({ status: "invalid" satisfies SymbolStatus, statusReason: reason, lastError: reason, lastErrorAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(symbols.symbol, symbol));
}

export async function deleteSymbol(db: DbOrTx, symbol: string): Promise<boolean> {
  const result = await db.delete(symbols).where(eq(symbols.symbol, symbol));
  return (result.rowCount ?? 0) > 0;
}

export type { SymbolRow, SymbolSource, SymbolStatus };
