import { and, eq, gt, isNull, lt, or, isNotNull } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { adminSessions } from "@/lib/db/schema";

export type AdminSessionRow = typeof adminSessions.$inferSelect;
export type NewAdminSessionRow = typeof adminSessions.$inferInsert;

export async function insertAdminSession(db: DbOrTx, row: NewAdminSessionRow): Promise<AdminSessionRow> {
  const [inserted] = await db.insert(adminSessions).values(row).returning();
  return inserted!;
}

/** The session with this token hash if it is neither revoked nor expired at `now`. */
export async function getActiveAdminSession(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
): Promise<AdminSessionRow | null> {
  const [row] = await db
    .select()
    .from(adminSessions)
    .where(
      and(
        eq(adminSessions.tokenHash, tokenHash),
        isNull(adminSessions.revokedAt),
        gt(adminSessions.expiresAt, now),
      ),
    );
  return row ?? null;
}

/** Revokes a session (sign-out); false when it was unknown or already revoked. */
export async function revokeAdminSession(db: DbOrTx, tokenHash: string, now: Date): Promise<boolean> {
  const result = await db
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.tokenHash, tokenHash), isNull(adminSessions.revokedAt)));
  return (result.rowCount ?? 0) > 0;
}

/** Deletes sessions that expired or were revoked before `before`; returns how many. */
export async function deleteStaleAdminSessions(db: DbOrTx, before: Date): Promise<number> {
  const result = await db
    .delete(adminSessions)
    .where(
      or(
        lt(adminSessions.expiresAt, before),
        and(isNotNull(adminSessions.revokedAt), lt(adminSessions.revokedAt, before)),
      ),
    );
  return result.rowCount ?? 0;
}
