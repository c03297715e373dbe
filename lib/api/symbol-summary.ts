import type { DbOrTx } from "@/lib/db/client";
import { listSymbolsWithActivity, type SymbolActivityRow, type SymbolSource } from "@/lib/db/queries/symbols";
import type { SymbolSummary } from "@/lib/events/api-market";
import { pickLastTickAt } from "@/lib/kpi/last-tick";

/**
 * A symbol as the dashboard describes it (GET /api/symbols, the snapshot); the admin view extends it
 * (lib/admin/admin-views.ts). `defaultSource` is the deployment's INGEST_SOURCE, for rows without one.
 */
export function toSymbolSummary(row: SymbolActivityRow, defaultSource: SymbolSource): SymbolSummary {
  return {
    symbol: row.symbol,
    displayName: row.displayName,
    status: row.status,
    statusReason: row.statusReason,
    source: row.source ?? defaultSource,
    marketState: row.marketState,
    exchangeTimezone: row.exchangeTimezone,
    lastTickAt: pickLastTickAt(row.lastTickAt?.getTime() ?? null, row.latestBarAt?.getTime() ?? null),
  };
}

/** The summaries of the given symbols, whatever their status; symbols without a row are absent. */
export async function readSymbolSummaries(
  db: DbOrTx,
  list: readonly string[],
  defaultSource: SymbolSource,
): Promise<SymbolSummary[]> {
  const rows = await listSymbolsWithActivity(db, { includeRemoved: true, symbols: list });
  return rows.map((row) => toSymbolSummary(row, defaultSource));
}
