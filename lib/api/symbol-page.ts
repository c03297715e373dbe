import { toSymbolSummary } from "@/lib/api/symbol-summary";
import type { SymbolPage, SymbolSource } from "@/lib/db/queries/symbols";
import type { SymbolsResponse } from "@/lib/events/api-market";
import { formatSymbolCursor } from "@/lib/events/symbol-page";

/** GET /api/symbols's answer for one page read by listSymbolPage. */
export function toSymbolsResponse(page: SymbolPage, defaultSource: SymbolSource): SymbolsResponse {
  return {
    symbols: page.rows.map((row) => toSymbolSummary(row, defaultSource)),
    nextCursor: page.next === null ? null : formatSymbolCursor(page.next),
    total: page.total,
  };
}
