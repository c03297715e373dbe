import { and, asc, count, eq, gt, gte, ilike, inArray, like, ne, not, or, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import {
  dailyStats,
  factPrices,
  ingestCursors,
  kpiSnapshots,
  rawTicks,
  symbols,
  type NewSymbolRow,
  type SymbolRow,
  type SymbolSource,
  type SymbolStatus,
} from "@/lib/db/schema";
import type { PurgedHistory, SymbolStatusCounts } from "@/lib/events/api-admin";
import { toSymbolCase, type SymbolSortKey } from "@/lib/kpi/symbol-search";

export async function listSymbols(
  db: DbOrTx,
  options: { includeRemoved?: boolean } = {},
): Promise<SymbolRow[]> {
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

/** Status and exchange time zone of the given symbols (those not registered are absent). */
export async function getSymbolStatuses(
  db: DbOrTx,
  list: readonly string[],
): Promise<Map<string, { status: SymbolStatus; timeZone: string }>> {
  if (list.length === 0) return new Map();
  const rows = await db
    .select({ symbol: symbols.symbol, status: symbols.status, timeZone: symbols.exchangeTimezone })
    .from(symbols)
    // One array parameter: a batch may name more symbols than a statement may have parameters (65,535).
    .where(sql`${symbols.symbol} = any(cast(${sql.param([...list])} as text[]))`);
  return new Map(rows.map((r) => [r.symbol, { status: r.status, timeZone: r.timeZone }]));
}

/** Key of the transaction-scoped advisory lock that serialises registrations from the topic. */
const EXTERNAL_REGISTRATION_LOCK_KEY = 7_245_311_002;

/**
 * Registers symbols first seen on the topic as `external` (fed from outside; the ingest worker leaves
 * them alone), in list order, while fewer than `max` symbols that are not removed are registered.
 * Returns the symbols it inserted; existing rows are untouched. Call it inside the batch transaction:
 * the advisory lock it takes is held until that transaction ends, so concurrent stream workers register
 * one after the other and each one's count includes the others' committed inserts (READ COMMITTED
 * takes a new snapshot per statement). The cap therefore holds exactly against other workers; only an
 * admin adding symbols at the same moment can go past it, as admins may.
 */
export async function registerExternalSymbolsUpTo(
  tx: DbOrTx,
  list: readonly string[],
  timeZone: string,
  max: number,
): Promise<string[]> {
  if (list.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${EXTERNAL_REGISTRATION_LOCK_KEY})`);
  const result = await tx.execute<{ symbol: string }>(sql`
    insert into ${symbols} (symbol, source, status, exchange_timezone, status_reason)
    select s.symbol, 'external', 'active', ${timeZone}, 'first seen on the ticks topic'
    from unnest(cast(${sql.param([...list])} as text[])) with ordinality as s(symbol, n)
    where not exists (select 1 from ${symbols} as known where known.symbol = s.symbol)
    order by s.n
    limit greatest(0, ${max}::int - (select count(*)::int from ${symbols} as counted where counted.status <> 'removed'))
    on conflict (symbol) do nothing
    returning symbol`);
  return result.rows.map((r) => r.symbol);
}

/** Inserts symbols that do not exist yet; returns the ones inserted. */
export async function insertSymbols(db: DbOrTx, rows: readonly NewSymbolRow[]): Promise<SymbolRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(symbols)
    .values([...rows])
    .onConflictDoNothing()
    .returning();
}

export type SymbolPatch = Partial<
  Pick<
    SymbolRow,
    | "status"
    | "statusReason"
    | "source"
    | "pollIntervalSeconds"
    | "displayName"
    | "exchangeTimezone"
    | "removedAt"
    | "lastError"
    | "lastErrorAt"
  >
>;

export async function updateSymbol(
  db: DbOrTx,
  symbol: string,
  patch: SymbolPatch,
): Promise<SymbolRow | null> {
  const [row] = await db
    .update(symbols)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(symbols.symbol, symbol))
    .returning();
  return row ?? null;
}

/**
 * The ingest worker's report on a symbol: market state and last error (the newest bar published is
 * saved with the ingest cursors, saveIngestCursors).
 */
export async function recordIngestStatus(
  db: DbOrTx,
  symbol: string,
  status: { marketState?: string; lastError?: string | null; statusReason?: string | null },
): Promise<void> {
  const set: Record<string, unknown> = {};
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
    .set({
      status: "invalid" satisfies SymbolStatus,
      statusReason: reason,
      lastError: reason,
      lastErrorAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(symbols.symbol, symbol));
}

/** The rows of the given symbols (any status); absent ones are simply missing. */
export async function listSymbolsByName(db: DbOrTx, list: readonly string[]): Promise<SymbolRow[]> {
  if (list.length === 0) return [];
  return db
    .select()
    .from(symbols)
    .where(inArray(symbols.symbol, [...list]));
}

/** Reads a symbol and locks its row until the transaction ends (SELECT … FOR UPDATE). */
export async function getSymbolForUpdate(tx: DbOrTx, symbol: string): Promise<SymbolRow | null> {
  const [row] = await tx.select().from(symbols).where(eq(symbols.symbol, symbol)).for("update");
  return row ?? null;
}

/** A symbol with what its newest trading day in fact_prices holds. */
export type SymbolActivityRow = SymbolRow & {
  /** Trading day (exchange time zone) of the symbol's newest bar; null before its first bar. */
  latestTradeDate: string | null;
  /** fact_prices rows (one per minute bar) of that trading day. */
  latestDayBars: number;
  /** Start of the newest bar in fact_prices. */
  latestBarAt: Date | null;
};

/**
 * Every symbol (removed ones too, when asked) with the bar count and newest bar of its latest trading
 * day. One lateral subquery per symbol walks the (symbol, trade_date) index, so the cost follows the
 * number of symbols and of one day's bars, not the size of fact_prices.
 */
export async function listSymbolsWithActivity(
  db: DbOrTx,
  options: { includeRemoved?: boolean; symbol?: string; symbols?: readonly string[] } = {},
): Promise<SymbolActivityRow[]> {
  if (options.symbols?.length === 0) return [];
  const latestDay = sql`(select max(latest.trade_date) from ${factPrices} as latest where latest.symbol = ${symbols.symbol})`;
  const day = db
    .select({
      tradeDate: sql<string>`${factPrices.tradeDate}::text`.as("latest_trade_date"),
      bars: sql<number>`count(*)::int`.as("latest_day_bars"),
      lastTs: sql<Date>`max(${factPrices.ts})`.mapWith(factPrices.ts).as("latest_bar_at"),
    })
    .from(factPrices)
    .where(and(eq(factPrices.symbol, symbols.symbol), eq(factPrices.tradeDate, latestDay)))
    .groupBy(factPrices.tradeDate)
    .as("day");
  const rows = await db
    .select({ symbol: symbols, day: { tradeDate: day.tradeDate, bars: day.bars, lastTs: day.lastTs } })
    .from(symbols)
    .leftJoinLateral(day, sql`true`)
    .where(
      and(
        options.includeRemoved ? undefined : ne(symbols.status, "removed"),
        options.symbol === undefined ? undefined : eq(symbols.symbol, options.symbol),
        options.symbols === undefined ? undefined : inArray(symbols.symbol, [...options.symbols]),
      ),
    )
    .orderBy(asc(symbols.symbol));
  return rows.map((r) => ({
    ...r.symbol,
    latestTradeDate: r.day?.tradeDate ?? null,
    latestDayBars: r.day?.bars ?? 0,
    latestBarAt: r.day?.lastTs ?? null,
  }));
}

export type SymbolPageQuery = {
  /** The search, trimmed (lib/events/symbol-page.ts); null lists every symbol. */
  q: string | null;
  limit: number;
  /** The sort key of the previous page's last row (its cursor). */
  after?: SymbolSortKey;
  includeRemoved?: boolean;
};

export type SymbolPage = {
  rows: SymbolActivityRow[];
  /** The sort key of this page's last row when more follow, else null. */
  next: SymbolSortKey | null;
  /** Rows matching the search across all pages. */
  total: number;
};

/** `text` as a LIKE pattern matching itself (backslash is PostgreSQL's default escape). */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/**
 * One keyset page of symbols in the order of lib/kpi/symbol-search.ts: for a search, the symbols that
 * start with it, then the others that contain it in their symbol or name, each part by symbol. Each
 * part is one range walk of the primary key, `symbol > <cursor>`, stopped after `limit` rows: 50,000
 * symbols answer in under 15 ms (EXPLAIN ANALYZE, in the report of issue 12), so no extra index.
 * The activity of the page's rows is read after, for those rows only.
 */
export async function listSymbolPage(db: DbOrTx, query: SymbolPageQuery): Promise<SymbolPage> {
  const listed = query.includeRemoved ? undefined : ne(symbols.status, "removed");
  const { q, limit, after } = query;
  const want = limit + 1;
  const pick = (where: SQL | undefined, n: number) =>
    db.select({ symbol: symbols.symbol }).from(symbols).where(where).orderBy(asc(symbols.symbol)).limit(n);
  const afterIn = (rank: 0 | 1) =>
    after === undefined || after.rank < rank ? undefined : gt(symbols.symbol, after.symbol);

  let keys: SymbolSortKey[];
  let matches: SQL | undefined;
  if (q === null) {
    keys = (await pick(and(listed, afterIn(0)), want)).map((r) => ({ rank: 0, symbol: r.symbol }));
  } else {
    const upper = toSymbolCase(q);
    // `>=` lets the primary key bound the walk; LIKE alone would read every row in front of the prefix.
    const isPrefix = and(gte(symbols.symbol, upper), like(symbols.symbol, `${escapeLike(upper)}%`));
    const isInside = or(
      like(symbols.symbol, `%${escapeLike(upper)}%`),
      ilike(symbols.displayName, `%${escapeLike(q)}%`),
    );
    matches = or(isPrefix, isInside);
    const starts =
      after === undefined || after.rank === 0 ? await pick(and(listed, isPrefix, afterIn(0)), want) : [];
    const inside =
      starts.length < want
        ? await pick(
            and(listed, isInside, not(like(symbols.symbol, `${escapeLike(upper)}%`)), afterIn(1)),
            want - starts.length,
          )
        : [];
    keys = [
      ...starts.map((r) => ({ rank: 0 as const, symbol: r.symbol })),
      ...inside.map((r) => ({ rank: 1 as const, symbol: r.symbol })),
    ];
  }
  const page = keys.slice(0, limit);
  const [rows, [counted]] = await Promise.all([
    listSymbolsWithActivity(db, { includeRemoved: true, symbols: page.map((k) => k.symbol) }),
    db.select({ n: count() }).from(symbols).where(and(listed, matches)),
  ]);
  const bySymbol = new Map(rows.map((r) => [r.symbol, r]));
  return {
    rows: page.flatMap((k) => bySymbol.get(k.symbol) ?? []),
    next: keys.length > limit ? (page[page.length - 1] ?? null) : null,
    total: counted?.n ?? 0,
  };
}

/** How many symbols have each status. */
export async function countSymbolsByStatus(db: DbOrTx): Promise<SymbolStatusCounts> {
  const rows = await db.select({ status: symbols.status, n: count() }).from(symbols).groupBy(symbols.status);
  const counts: SymbolStatusCounts = { active: 0, paused: 0, invalid: 0, removed: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Deletes a symbol's history (bars, daily stats, window KPIs, raw ticks, ingest cursor); the symbols row stays. */
export async function purgeSymbolHistory(tx: DbOrTx, symbol: string): Promise<PurgedHistory> {
  const count = (result: { rowCount: number | null }) => result.rowCount ?? 0;
  return {
    factPrices: count(await tx.delete(factPrices).where(eq(factPrices.symbol, symbol))),
    dailyStats: count(await tx.delete(dailyStats).where(eq(dailyStats.symbol, symbol))),
    kpiSnapshots: count(await tx.delete(kpiSnapshots).where(eq(kpiSnapshots.symbol, symbol))),
    rawTicks: count(await tx.delete(rawTicks).where(eq(rawTicks.symbol, symbol))),
    ingestCursors: count(await tx.delete(ingestCursors).where(eq(ingestCursors.symbol, symbol))),
  };
}

export type { PurgedHistory, SymbolRow, SymbolSource, SymbolStatus };
