import { z } from "zod";

import { symbolSchema } from "@/lib/events/symbol";
import type { SymbolMatchRank, SymbolSortKey } from "@/lib/kpi/symbol-search";
import { wholeNumberParam } from "@/lib/events/whole-number-param";

/**
 * The query of the paged symbol lists (GET /api/symbols, GET /api/admin/symbols). Matching and order
 * are lib/kpi/symbol-search.ts; pages are keyset pages on (rank, symbol), so a symbol added or removed
 * meanwhile neither shifts nor repeats the rows of the next page.
 */

export const SYMBOLS_PAGE_DEFAULT_LIMIT = 100;
export const SYMBOLS_PAGE_MAX_LIMIT = 500;
export const SYMBOL_QUERY_MAX_LENGTH = 64;
/** Symbols the dashboard's picker lists per search (more are reached by typing more). */
export const SYMBOL_PICKER_LIMIT = 50;
/** Rows per page of the admin's symbol table. */
export const ADMIN_SYMBOLS_PAGE_LIMIT = 50;

/** A search as typed: surrounding space trimmed; nothing left means no search (null). */
export function normalizeSymbolQuery(raw: string | null | undefined): string | null {
  const q = raw?.trim() ?? "";
  return q === "" ? null : q;
}

/** The `nextCursor` of a page: where the next one starts, `<rank>:<SYMBOL>` (readable, not meant to be built). */
export function formatSymbolCursor(key: SymbolSortKey): string {
  return `${key.rank}:${key.symbol}`;
}

const CURSOR_PATTERN = /^([01]):(.+)$/;

/** Parses a cursor back into the sort key of the last row of the previous page. */
export const symbolCursorSchema = z.string().transform((text, ctx): SymbolSortKey => {
  const match = CURSOR_PATTERN.exec(text);
  const symbol = match ? symbolSchema.safeParse(match[2]) : null;
  if (!match || !symbol?.success) {
    ctx.addIssue({ code: "custom", message: "not a cursor: pass the nextCursor of the previous page" });
    return z.NEVER;
  }
  return { rank: Number(match[1]) as SymbolMatchRank, symbol: symbol.data };
});

export const symbolsQuerySchema = z.object({
  q: z
    .string()
    .max(SYMBOL_QUERY_MAX_LENGTH, `a search has at most ${SYMBOL_QUERY_MAX_LENGTH} characters`)
    .regex(/^[^\p{Cc}]*$/u, "a search cannot contain control characters")
    .optional()
    .transform(normalizeSymbolQuery),
  limit: wholeNumberParam(1, SYMBOLS_PAGE_MAX_LIMIT).default(SYMBOLS_PAGE_DEFAULT_LIMIT),
  cursor: symbolCursorSchema.optional(),
});

export type SymbolsQuery = z.infer<typeof symbolsQuerySchema>;
/** A query as a caller writes it (strings, as in a URL). */
export type SymbolsQueryInput = z.input<typeof symbolsQuerySchema>;

/** The URL search string of a page request: `?q=…&limit=…&cursor=…`, unset parts left out. */
export function toSymbolsSearch(query: {
  q?: string | null;
  limit?: number;
  cursor?: string | null;
}): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  if (query.cursor) params.set("cursor", query.cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** What every page answer carries besides its rows. */
export const symbolPageFieldsSchema = z.object({
  /** The `cursor` of the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Symbols matching the search across all pages. */
  total: z.number().int().nonnegative(),
});
