/**
 * How a symbol search matches and orders symbols. The SQL of lib/db/queries/symbols.ts listSymbolPage
 * repeats these rules (tests/integration/symbols-page.test.ts pins it to them on the same rows), and
 * the browser applies them to keep a page it shows current when a live change arrives.
 *
 * A query matches a symbol that contains it (case-insensitive) or whose name contains it. Symbols that
 * start with it come first (rank 0), the other matches after (rank 1); within a rank, by symbol in
 * code-unit order (PostgreSQL's C collation, the one the project's databases use).
 */

/** Where a symbol sorts in a search: its rank, then the symbol. */
export type SymbolSortKey = { rank: SymbolMatchRank; symbol: string };
export type SymbolMatchRank = 0 | 1;

/** The fields a search looks at. */
export type SearchableSymbol = { symbol: string; displayName: string | null };

/**
 * The query as a symbol is spelt: ASCII letters upper-cased and nothing else changed (tickers are
 * ASCII, and a locale's upper case, like "ß" → "SS", would match symbols the query does not name).
 */
export function toSymbolCase(q: string): string {
  return q.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/**
 * A symbol's rank for query `q` (trimmed, null for none: lib/events/symbol-page.ts normalizeSymbolQuery),
 * or null when it does not match. No query matches everything at rank 0.
 */
export function rankSymbolMatch(item: SearchableSymbol, q: string | null): SymbolMatchRank | null {
  if (q === null) return 0;
  const upper = toSymbolCase(q);
  if (item.symbol.startsWith(upper)) return 0;
  if (item.symbol.includes(upper)) return 1;
  if (item.displayName?.toLowerCase().includes(q.toLowerCase())) return 1;
  return null;
}

/** Negative when `a` sorts before `b` in a search's order. */
export function compareSymbolSortKeys(a: SymbolSortKey, b: SymbolSortKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}
