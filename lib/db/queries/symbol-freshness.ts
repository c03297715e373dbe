import { asc, eq, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { factPrices, symbols } from "@/lib/db/schema";

export type SymbolFreshnessRow = {
  symbol: string;
  /** null: the deployment's INGEST_SOURCE. */
  source: string | null;
  marketState: string | null;
  pollIntervalSeconds: number;
  lastTickAt: Date | null;
  updatedAt: Date;
  /** Start of the newest stored bar; null before the first. */
  newestBarAt: Date | null;
};

/**
 * Each active symbol with the start of its newest stored bar. The subquery reads the end of the
 * (symbol, ts) primary key, one index probe per symbol however long the history.
 */
export async function listSymbolFreshness(db: DbOrTx): Promise<SymbolFreshnessRow[]> {
  const rows = await db
    .select({
      symbol: symbols.symbol,
      source: symbols.source,
      marketState: symbols.marketState,
      pollIntervalSeconds: symbols.pollIntervalSeconds,
      lastTickAt: symbols.lastTickAt,
      updatedAt: symbols.updatedAt,
      // Spelled with an alias: inside sql`` drizzle renders both columns as a bare "symbol", which the
      // subquery would read as fact_prices.symbol = fact_prices.symbol (every symbol's newest bar).
      newestBarAt: sql<
        Date | string | null
      >`(select max(fp.ts) from ${factPrices} fp where fp.symbol = ${symbols}.symbol)`,
    })
    .from(symbols)
    .where(eq(symbols.status, "active"))
    .orderBy(asc(symbols.symbol));
  return rows.map((r) => ({ ...r, newestBarAt: r.newestBarAt === null ? null : new Date(r.newestBarAt) }));
}
