"use client";

import { useState } from "react";

import type { SymbolPageScope } from "@/components/realtime/symbol-page-changes";
import { useLiveSymbolPage } from "@/components/realtime/use-live-symbol-page";
import { useDebouncedValue } from "@/components/ui/use-debounced-value";
import type { AdminSymbol, AdminSymbolsResponse } from "@/lib/events/api-admin";
import type { SymbolSummary } from "@/lib/events/api-market";
import { ADMIN_SYMBOLS_PAGE_LIMIT, normalizeSymbolQuery, symbolCursorSchema } from "@/lib/events/symbol-page";

import type { AdminClient } from "./admin-client";

/** How often the table re-reads its page: last tick and ticks today change without a notification. */
const REFRESH_MS = 3_000;
const SEARCH_DELAY_MS = 250;

/** Where the table is: its search and the cursors of the pages walked through to reach this one. */
type Paging = { q: string | null; cursors: string[] };

const scopeRows = {
  isListed: () => true,
  // A change carries the public summary only: it updates a shown row; a row the page does not have
  // (its poll interval, activity, last error) comes from re-reading the page.
  toRow: (summary: SymbolSummary, shown: AdminSymbol | undefined): AdminSymbol | null =>
    shown ? { ...shown, ...summary } : null,
};

/**
 * The admin's symbol table: one page of a search, re-read every few seconds and kept current by
 * symbols:changed in between; next and previous walk the pages by cursor.
 */
export function useAdminSymbols(client: AdminClient, initial: AdminSymbolsResponse) {
  const [text, setText] = useState("");
  const q = normalizeSymbolQuery(useDebouncedValue(text, SEARCH_DELAY_MS));
  const [paging, setPaging] = useState<Paging>({ q: null, cursors: [] });
  // A new search starts at its first page.
  const cursors = paging.q === q ? paging.cursors : [];
  const cursor = cursors[cursors.length - 1] ?? null;
  const scope: SymbolPageScope<AdminSymbol> = {
    ...scopeRows,
    q,
    after: cursor === null ? undefined : symbolCursorSchema.safeParse(cursor).data,
  };
  const resource = useLiveSymbolPage({
    queryKey: ["admin", "symbols", q, cursor],
    initialData: q === null && cursor === null ? initial : undefined,
    load: (signal) => client.listSymbols({ q, cursor, limit: ADMIN_SYMBOLS_PAGE_LIMIT }, signal),
    scope,
    refetchInterval: REFRESH_MS,
  });
  // While another page loads, the last one stays on screen (marked busy) rather than an empty table.
  const [lastPage, setLastPage] = useState(initial);
  if (resource.data && resource.data !== lastPage) setLastPage(resource.data);
  const page = resource.data ?? lastPage;

  return {
    resource,
    page,
    isLoading: resource.data === undefined,
    text,
    setText,
    /** Index of the page's first row among the search's matches (0-based). */
    offset: cursors.length * ADMIN_SYMBOLS_PAGE_LIMIT,
    hasPrevious: cursors.length > 0,
    hasNext: resource.data?.nextCursor != null,
    next: () => {
      const nextCursor = resource.data?.nextCursor;
      if (nextCursor) setPaging({ q, cursors: [...cursors, nextCursor] });
    },
    previous: () => setPaging({ q, cursors: cursors.slice(0, -1) }),
  };
}
