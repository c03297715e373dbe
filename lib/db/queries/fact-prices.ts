import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { factPrices, type FactPriceRow } from "@/lib/db/schema";
import { buildBulkUpsert, type OnConflict } from "@/lib/db/queries/bulk-upsert";
import type { WithKeysOf } from "@/lib/events/same-shape";
import type { FactBar } from "@/lib/kpi/types";

/** The columns of a fact_prices row that carry a {@link FactBar}; `updatedAt` is bookkeeping. */
export type FactPriceColumns = Omit<FactPriceRow, "updatedAt">;

/**
 * A bar read back. A FactBar has exactly the columns of its row, `ts` in epoch ms rather than a Date:
 * the bulk upsert writes bars as they are (buildFactPricesUpsert), and typecheck fails there on a
 * column without a FactBar field or a field without a column.
 */
export function toFactBar({ updatedAt: _updatedAt, ts, ...columns }: FactPriceRow): FactBar {
  return { ...columns, ts: ts.getTime() };
}

/** Upsert of bars with their indicators, in one statement. */
export async function upsertFactPrices(db: DbOrTx, bars: readonly FactBar[]): Promise<void> {
  const statement = buildFactPricesUpsert(bars);
  if (statement) await db.execute(statement);
}

/** The statement of `upsertFactPrices`, to run with others; null without bars. */
export function buildFactPricesUpsert(bars: readonly FactBar[]): SQL | null {
  return buildFactPricesWrite(bars, "update");
}

/**
 * A plain insert of bars the caller knows are not stored (the stream worker's new bars: its series state
 * holds every stored bar from its first on), to run with others; null without bars. Should one be stored
 * after all (written by another worker meanwhile), the statement fails with unique_violation and the
 * batch rolls back, to be retried from what PostgreSQL holds.
 */
export function buildFactPricesInsert(bars: readonly FactBar[]): SQL | null {
  return buildFactPricesWrite(bars, "fail");
}

function buildFactPricesWrite(bars: readonly FactBar[], onConflict: OnConflict): SQL | null {
  // No row object or Date per bar: a batch writes tens of thousands (the timestamps go as epoch ms).
  const rows: readonly WithKeysOf<FactBar, FactPriceColumns>[] = bars;
  return buildBulkUpsert(factPrices, rows, ["symbol", "ts"], onConflict);
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

export type SymbolHistory = { bars: FactBar[]; hasAllHistory: boolean };

/**
 * A whole bar as a select list: each FactBar field (the keys of `FactPriceColumns`, checked here) as its
 * column, cast to what a FactBar holds (epoch ms, the date as text, volume as a number), so that the
 * rows PostgreSQL returns are bars as they are.
 */
const FACT_BAR_COLUMNS = {
  symbol: sql`${factPrices.symbol}`,
  ts: sql`(extract(epoch from ${factPrices.ts}) * 1000)::float8`,
  tradeDate: sql`${factPrices.tradeDate}::text`,
  open: sql`${factPrices.open}`,
  high: sql`${factPrices.high}`,
  low: sql`${factPrices.low}`,
  close: sql`${factPrices.close}`,
  volume: sql`${factPrices.volume}::float8`,
  ma5: sql`${factPrices.ma5}`,
  ma20: sql`${factPrices.ma20}`,
  ema20: sql`${factPrices.ema20}`,
  vwap: sql`${factPrices.vwap}`,
  isFinal: sql`${factPrices.isFinal}`,
} satisfies Record<keyof FactPriceColumns, SQL>;
const FACT_BAR_SELECT = sql.join(
  Object.entries(FACT_BAR_COLUMNS).map(([field, value]) => sql`${value} as ${sql.identifier(field)}`),
  sql`, `,
);

/**
 * {@link loadSymbolHistory} of many symbols in one round trip (each with its own `from`): what a batch
 * of symbols seen for the first time needs, which would otherwise cost two queries per symbol. After a
 * rebalance or a restart it reads every stored bar of the day of a partition's symbols, so each branch
 * reads its rows straight from the primary key index: selecting only keys there and the rows by those
 * keys afterwards (`where (symbol, ts) in (…)`) probed the index a second time per row, and sorting the
 * result in PostgreSQL spilled to disk (271 ms against 15 ms for 333 symbols × 85 bars). The requests'
 * symbols are distinct (a symbol asked for twice would have its bars twice).
 */
export async function loadSymbolHistories(
  db: DbOrTx,
  requests: readonly { symbol: string; from: number }[],
  contextBars: number,
): Promise<Map<string, SymbolHistory>> {
  const histories = new Map<string, SymbolHistory>();
  if (requests.length === 0) return histories;
  const symbols = requests.map((r) => r.symbol);
  const froms = requests.map((r) => new Date(r.from).toISOString());
  const result = await db.execute<FactBar>(sql`select k.*
    from unnest(cast(${sql.param(symbols)} as text[]), cast(${sql.param(froms)} as timestamptz[])) as r(symbol, from_ts)
    cross join lateral (
      (select ${FACT_BAR_SELECT} from ${factPrices}
        where ${factPrices.symbol} = r.symbol and ${factPrices.ts} < r.from_ts
        order by ${factPrices.ts} desc limit ${contextBars})
      union all
      (select ${FACT_BAR_SELECT} from ${factPrices}
        where ${factPrices.symbol} = r.symbol and ${factPrices.ts} >= r.from_ts)
    ) k`);
  const from = new Map(requests.map((r) => [r.symbol, r.from]));
  const before = new Map<string, number>();
  for (const symbol of symbols) histories.set(symbol, { bars: [], hasAllHistory: true });
  for (const bar of result.rows) {
    histories.get(bar.symbol)?.bars.push(bar);
    if (bar.ts < from.get(bar.symbol)!) before.set(bar.symbol, (before.get(bar.symbol) ?? 0) + 1);
  }
  for (const [symbol, history] of histories) {
    // The context bars come newest first; a sort of nearly sorted bars costs about one pass.
    history.bars.sort((a, b) => a.ts - b.ts);
    history.hasAllHistory = (before.get(symbol) ?? 0) < contextBars;
  }
  return histories;
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

/**
 * Marks final every open bar that starts at or before `lastFinalTs` (computeLastFinalTs): the newest
 * bar of a symbol, when no later bar came to make it final in the stream.
 */
export async function finalizeFactPricesUpTo(db: DbOrTx, lastFinalTs: number): Promise<number> {
  const result = await db
    .update(factPrices)
    .set({ isFinal: true, updatedAt: sql`now()` })
    .where(and(eq(factPrices.isFinal, false), lte(factPrices.ts, new Date(lastFinalTs))));
  return result.rowCount ?? 0;
}
