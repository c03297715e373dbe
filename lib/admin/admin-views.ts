import type { AdminAuditLogRow } from "@/lib/db/queries/audit-log";
import type { SymbolActivityRow, SymbolRow, SymbolSource, SymbolStatus } from "@/lib/db/queries/symbols";

/** A symbol as the admin API and page show it (times in epoch ms). */
export type AdminSymbolView = {
  symbol: string;
  displayName: string | null;
  status: SymbolStatus;
  statusReason: string | null;
  /** The symbol's own source, else the deployment's INGEST_SOURCE. */
  source: SymbolSource;
  pollIntervalSeconds: number;
  exchangeTimezone: string;
  marketState: string | null;
  /** Newest bar the ingest worker published (symbols.last_tick_at), else the newest bar stored. */
  lastTickAt: number | null;
  /** Trading day of the newest stored bar, and how many 1-minute bars (fact_prices rows) it has. */
  latestTradeDate: string | null;
  ticksToday: number;
  lastError: string | null;
  lastErrorAt: number | null;
  removedAt: number | null;
  updatedAt: number;
};

export type AuditEntryView = {
  id: number;
  at: number;
  actor: string;
  action: string;
  symbol: string | null;
  before: unknown;
  after: unknown;
  clientIp: string | null;
};

export function toAdminSymbolView(row: SymbolActivityRow, defaultSource: SymbolSource): AdminSymbolView {
  const stored = row.latestBarAt?.getTime() ?? null;
  const published = row.lastTickAt?.getTime() ?? null;
  return {
    symbol: row.symbol,
    displayName: row.displayName,
    status: row.status,
    statusReason: row.statusReason,
    source: row.source ?? defaultSource,
    pollIntervalSeconds: row.pollIntervalSeconds,
    exchangeTimezone: row.exchangeTimezone,
    marketState: row.marketState,
    lastTickAt: published === null ? stored : stored === null ? published : Math.max(published, stored),
    latestTradeDate: row.latestTradeDate,
    ticksToday: row.latestDayBars,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.getTime() ?? null,
    removedAt: row.removedAt?.getTime() ?? null,
    updatedAt: row.updatedAt.getTime(),
  };
}

export function toAuditEntryView(row: AdminAuditLogRow): AuditEntryView {
  return { id: row.id, at: row.at.getTime(), actor: row.actor, action: row.action, symbol: row.symbol, before: row.before, after: row.after, clientIp: row.clientIp };
}

/** The fields of a symbol an audit entry records before and after a change. */
export function toAuditState(row: SymbolRow) {
  return { status: row.status, statusReason: row.statusReason, pollIntervalSeconds: row.pollIntervalSeconds, source: row.source, displayName: row.displayName };
}
