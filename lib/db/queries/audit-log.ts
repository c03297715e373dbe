import { and, desc, eq, lt, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { adminAuditLog, type AdminAuditLogRow } from "@/lib/db/schema";
import type { AuditAction } from "@/lib/events/api-admin";

/** A row to write: its action is one this version writes (the column keeps older ones as text). */
export type NewAuditEntry = Omit<typeof adminAuditLog.$inferInsert, "action"> & { action: AuditAction };

export async function insertAuditEntry(db: DbOrTx, entry: NewAuditEntry): Promise<AdminAuditLogRow> {
  const [row] = await db.insert(adminAuditLog).values(entry).returning();
  return row!;
}

/** Audit entries newest first; `beforeId` pages back (entries with a smaller id), `symbol` filters. */
export async function listAuditEntries(
  db: DbOrTx,
  options: { limit: number; beforeId?: number; symbol?: string },
): Promise<AdminAuditLogRow[]> {
  const conditions: SQL[] = [];
  if (options.beforeId !== undefined) conditions.push(lt(adminAuditLog.id, options.beforeId));
  if (options.symbol !== undefined) conditions.push(eq(adminAuditLog.symbol, options.symbol));
  return db
    .select()
    .from(adminAuditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(adminAuditLog.id))
    .limit(options.limit);
}

export type { AdminAuditLogRow };
