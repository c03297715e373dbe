import { rankSymbolMatch } from "@/lib/kpi/symbol-search";
import type { WatchlistRow } from "@/lib/kpi/watchlist-row";

/** The watchlist's sortable columns, as spelt in the URL (`?sort=change&dir=desc`). */
export const WATCHLIST_SORT_KEYS = ["symbol", "last", "change", "volume", "range"] as const;
export type WatchlistSortKey = (typeof WATCHLIST_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

/** How the analyst orders and narrows the list; kept in the URL and in localStorage. */
export type WatchlistViewState = { sort: WatchlistSortKey; dir: SortDirection; q: string };

export const DEFAULT_WATCHLIST_VIEW: WatchlistViewState = { sort: "symbol", dir: "asc", q: "" };

/** Longest search text kept (a ticker or a company name fits well within it). */
const MAX_QUERY_LENGTH = 64;

/**
 * Where the last price sits in the day's range: 0 at the low, 1 at the high. Null without a price or
 * range; 0.5 when the day has not moved (high = low), so the marker sits mid-bar rather than at an end.
 * Clamped, since a price outside the range can only come from rows of different moments.
 */
export function computeDayRangePosition(
  row: Pick<WatchlistRow, "last" | "dayHigh" | "dayLow">,
): number | null {
  const { last, dayHigh, dayLow } = row;
  if (last === null || dayHigh === null || dayLow === null) return null;
  if (dayHigh <= dayLow) return 0.5;
  return Math.min(1, Math.max(0, (last - dayLow) / (dayHigh - dayLow)));
}

function getSortValue(row: WatchlistRow, key: WatchlistSortKey): number | string | null {
  switch (key) {
    case "symbol":
      return row.symbol;
    case "last":
      return row.last;
    case "change":
      return row.changePct;
    case "volume":
      return row.volume;
    case "range":
      return computeDayRangePosition(row);
  }
}

/**
 * Rows ordered by one column. Rows without a value (no bar yet) come last in both directions, and
 * equal values are ordered by symbol, so the order is total and rows do not swap on ties.
 */
export function sortWatchlistRows(
  rows: readonly WatchlistRow[],
  key: WatchlistSortKey,
  dir: SortDirection,
): WatchlistRow[] {
  const sign = dir === "asc" ? 1 : -1;
  const keyed = rows.map((row) => ({ row, value: getSortValue(row, key) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else if (a.value !== b.value) {
      return (a.value < b.value ? -1 : 1) * sign;
    }
    return a.row.symbol < b.row.symbol ? -1 : a.row.symbol > b.row.symbol ? 1 : 0;
  });
  return keyed.map((k) => k.row);
}

/** Rows the search text matches (symbol or name contains it, as the symbol picker matches); all for none. */
export function filterWatchlistRows(rows: readonly WatchlistRow[], q: string): readonly WatchlistRow[] {
  const query = q.trim();
  if (query === "") return rows;
  return rows.filter((row) => rankSymbolMatch(row, query) !== null);
}

/**
 * The view state a URL's (or localStorage's) parameters name; each unknown or missing one falls back to
 * its default, so a shared link with a typo still opens the list.
 */
export function parseWatchlistViewState(get: (name: string) => string | null): WatchlistViewState {
  const sort = get("sort");
  const dir = get("dir");
  return {
    sort: (WATCHLIST_SORT_KEYS as readonly string[]).includes(sort ?? "")
      ? (sort as WatchlistSortKey)
      : DEFAULT_WATCHLIST_VIEW.sort,
    dir: dir === "asc" || dir === "desc" ? dir : DEFAULT_WATCHLIST_VIEW.dir,
    q: (get("q") ?? "").slice(0, MAX_QUERY_LENGTH),
  };
}

/** The parameters of a view state, defaults left out so the plain list keeps the plain URL. */
export function toWatchlistSearchParams(state: WatchlistViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.sort !== DEFAULT_WATCHLIST_VIEW.sort || state.dir !== DEFAULT_WATCHLIST_VIEW.dir) {
    params.set("sort", state.sort);
    params.set("dir", state.dir);
  }
  if (state.q.trim() !== "") params.set("q", state.q);
  return params;
}

/** The direction a click on a column header picks: the other one on the sorted column, else its natural one. */
export function getNextSortDirection(current: WatchlistViewState, key: WatchlistSortKey): SortDirection {
  if (current.sort === key) return current.dir === "asc" ? "desc" : "asc";
  return key === "symbol" ? "asc" : "desc";
}
