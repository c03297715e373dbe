import { and, asc, desc, eq, gte, lt, lte, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { factPrices, type FactPriceRow } from "@/lib/db/schema";
import { bulkUpsert } from "@/lib/db/queries/bulk-upsert";
import type { FactBar } from "@/lib/kpi/types";

export function toFactBar(row: FactPriceRow): FactBar {
  return {
    symbol: row.symbol,
    ts: row.ts.getTime(),
    tradeDate: row.tradeDate,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
    ma5: row.ma5,
    ma20: row.ma20,
    ema20: row.ema20,
    vwap: row.vwap,
    isFinal: row.isFinal,
  };
}

/** Upsert of bars with their indicators, in one statement. */
export async function upsertFactPrices(db: DbOrTx, bars: readonly FactBar[]): Promise<void> {
  await bulkUpsert(
    db,
    factPrices,
    bars.map((b) => ({ ...b, ts: new Date(b.ts) })),
    ["symbol", "ts"],
  );
}

/**
 * The bars of `symbol` from `from` on, plus the `contextBars` bars before it; `hasAllHistory` is true
 * when fewer context bars exist (the symbol has no older bars).
 */
export async function loadSymbolHistory(db: DbOrTx, symbol: string, from: number, contextBars: number) {
  const [recent, before] = await Promise.all([
    db
      .select()
      .from(factPrices)
      .where(and(eq(factPrices.symbol, symbol), gte(factPrices.ts, new Date(from))))
      .orderBy(asc(factPrices.ts)),
    db
      .select()
      .from(factPrices)
      .where(and(eq(factPrices.symbol, symbol), lt(factPrices.ts, new Date(from))))
      .orderBy(desc(factPrices.ts))
      .limit(contextBars),
  ]);
  return {
    bars: [...before.reverse(), ...recent].map(toFactBar),
    hasAllHistory: before.length < contextBars,
  };
}

/** Bars of one symbol in [from, to], oldest first, at most `limit` (the newest ones when cut). */
export async function listFactPrices(
  db: DbOrTx,
  symbol: string,
  from: number,
  to: number,
  limit: number,
): Promise<FactBar[]> {
  const rows = await db
    .select()
    .from(factPrices)
    .where(
      and(
        eq(factPrices.symbol, symbol),
        gte(factPrices.ts, new Date(from)),
        lte(factPrices.ts, new Date(to)),
      ),
    )
    .orderBy(desc(factPrices.ts))
    .limit(limit);
  return rows.reverse().map(toFactBar);
}

/** The newest bar of a symbol, or null. */
export async function getLatestFactPrice(db: DbOrTx, symbol: string): Promise<FactBar | null> {
  const [row] = await db
    .select()
    .from(factPrices)
    .where(eq(factPrices.symbol, symbol))
    .orderBy(desc(factPrices.ts))
    .limit(1);
  return row ? toFactBar(row) : null;
}

/** Marks bars final whose minute plus grace ended before `cutoff` (the newest bar of each symbol). */
export async function finalizeFactPricesBefore(db: DbOrTx, cutoff: number): Promise<number> {
  const result = await db
    .update(factPrices)
    .set({ isFinal: true, updatedAt: sql`now()` })
    .where(and(eq(factPrices.isFinal, false), lt(factPrices.ts, new Date(cutoff))));
  return result.rowCount ?? 0;
}
