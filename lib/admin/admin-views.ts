import { toSymbolSummary } from "@/lib/api/symbol-summary";
import type { AdminAuditLogRow } from "@/lib/db/queries/audit-log";
import { auditStateSchema, type AdminSymbol, type AuditEntry, type AuditState } from "@/lib/events/api-admin";
import type { SymbolActivityRow, SymbolRow, SymbolSource, SymbolStatus } from "@/lib/db/queries/symbols";

/** A symbol as the admin API and page show it (times in epoch ms) (lib/events/api-admin.ts). */
export type AdminSymbolView = AdminSymbol & { status: SymbolStatus; source: SymbolSource };
export type AuditEntryView = AuditEntry;

export function toAdminSymbolView(row: SymbolActivityRow, defaultSource: SymbolSource): AdminSymbolView {
  return {
    ...toSymbolSummary(row, defaultSource),
    pollIntervalSeconds: row.pollIntervalSeconds,
    latestTradeDate: row.latestTradeDate,
    ticksToday: row.latestDayBars,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.getTime() ?? null,
    removedAt: row.removedAt?.getTime() ?? null,
    updatedAt: row.updatedAt.getTime(),
  };
}

export function toAuditEntryView(row: AdminAuditLogRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at.getTime(),
    actor: row.actor,
    action: row.action,
    symbol: row.symbol,
    before: row.before,
    after: row.after,
    clientIp: row.clientIp,
  };
}

/** The fields of a symbol an audit entry records before and after a change (the schema picks them). */
export function toAuditState(row: SymbolRow): AuditState {
  return auditStateSchema.parse(row);
}
