import type { SymbolSummary } from "@/lib/events/api-market";
import type { SymbolChange } from "@/lib/events/symbols-changed";
import { compareSymbolSortKeys, rankSymbolMatch, type SymbolSortKey } from "@/lib/kpi/symbol-search";

/** A page of symbols as a page holds it (GET /api/symbols or GET /api/admin/symbols, any row type). */
export type SymbolPageView<T extends SymbolSummary> = {
  symbols: T[];
  nextCursor: string | null;
  total: number;
};

export type SymbolPageScope<T extends SymbolSummary> = {
  /** The page's search (trimmed, null for none). */
  q: string | null;
  /** The sort key the page starts after (its cursor); absent for the first page. */
  after?: SymbolSortKey;
  /** Whether the list shows a symbol at all (the dashboard hides removed ones). */
  isListed: (summary: SymbolSummary) => boolean;
  /** The row of a summary, given the row shown so far; null when a summary alone cannot make one. */
  toRow: (summary: SymbolSummary, shown: T | undefined) => T | null;
};

export type AppliedChanges<P> = {
  page: P;
  /** A symbol entered the page that `toRow` could not build: the page must be read again. */
  isReloadNeeded: boolean;
};

const keyOf = (s: SymbolSummary, q: string | null): SymbolSortKey => ({
  rank: rankSymbolMatch(s, q) ?? 1,
  symbol: s.symbol,
});

/**
 * Applies live symbol changes to the page a browser shows, the way the server would page them
 * (lib/kpi/symbol-search.ts): a symbol that matches and sorts within the page's range is shown
 * (updated in place or inserted in order), one that no longer matches or was deleted leaves. Changes
 * outside the page's range leave the rows alone. `total` follows what the changes reveal; it is exact
 * again at the next read. Returns `page` itself when nothing on it changed.
 */
export function applySymbolChanges<T extends SymbolSummary, P extends SymbolPageView<T>>(
  page: P,
  changes: readonly SymbolChange[],
  scope: SymbolPageScope<T>,
): AppliedChanges<P> {
  let rows = page.symbols;
  let { total } = page;
  let isChanged = false;
  let isReloadNeeded = false;
  const last = rows[rows.length - 1];
  const end = page.nextCursor === null || !last ? null : keyOf(last, scope.q);
  const isInRange = (key: SymbolSortKey) =>
    (!scope.after || compareSymbolSortKeys(scope.after, key) < 0) &&
    (end === null || compareSymbolSortKeys(key, end) <= 0);

  for (const change of changes) {
    const symbol = change.op === "deleted" ? change.symbol : change.summary.symbol;
    const index = rows.findIndex((r) => r.symbol === symbol);
    const shown = index >= 0 ? rows[index] : undefined;
    const summary = change.op === "deleted" ? null : change.summary;
    const isMatch = summary !== null && scope.isListed(summary) && rankSymbolMatch(summary, scope.q) !== null;
    if (!isMatch) {
      if (shown) {
        rows = rows.filter((r) => r.symbol !== symbol);
        total = Math.max(0, total - 1);
        isChanged = true;
      }
      continue;
    }
    if (!shown && !isInRange(keyOf(summary, scope.q))) {
      if (change.op === "added") {
        total++;
        isChanged = true;
      }
      continue;
    }
    const row = scope.toRow(summary, shown);
    if (row === null) {
      isReloadNeeded = true;
      continue;
    }
    rows = [...rows.filter((r) => r.symbol !== symbol), row].sort((a, b) =>
      compareSymbolSortKeys(keyOf(a, scope.q), keyOf(b, scope.q)),
    );
    if (!shown) total++;
    isChanged = true;
  }
  return { page: isChanged ? { ...page, symbols: rows, total } : page, isReloadNeeded };
}
