import type { EnabledAdminConfig } from "@/lib/auth/admin-config";
import { computeCsrfToken } from "@/lib/auth/csrf";
import {
  createSessionToken,
  hashSessionToken,
  signSessionToken,
  verifySignedSessionToken,
} from "@/lib/auth/session-token";
import type { DbOrTx } from "@/lib/db/client";
import {
  deleteStaleAdminSessions,
  getActiveAdminSession,
  insertAdminSession,
  revokeAdminSession,
} from "@/lib/db/queries/admin-sessions";

/** A signed-in admin, as a request carries it. */
export type AdminSession = {
  username: string;
  tokenHash: string;
  expiresAt: number;
  /** What the admin UI must send in the x-csrf-token header of state-changing requests. */
  csrfToken: string;
};

/** Sessions that ended more than this long ago are deleted at the next sign-in. */
const STALE_SESSION_MS = 7 * 86_400_000;

/** Stores a new session and returns it with the signed cookie value that carries its token. */
export async function startAdminSession(
  db: DbOrTx,
  config: EnabledAdminConfig,
  input: { username: string; clientIp: string | null; userAgent: string | null; now: number },
): Promise<{ session: AdminSession; cookieValue: string }> {
  const token = createSessionToken();
  const tokenHash = hashSessionToken(token);
  const expiresAt = input.now + config.sessionTtlMs;
  await deleteStaleAdminSessions(db, new Date(input.now - STALE_SESSION_MS));
  await insertAdminSession(db, {
    tokenHash,
    username: input.username,
    expiresAt: new Date(expiresAt),
    clientIp: input.clientIp,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
  });
  return {
    session: {
      username: input.username,
      tokenHash,
      expiresAt,
      csrfToken: computeCsrfToken(token, config.sessionSecret),
    },
    cookieValue: signSessionToken(token, config.sessionSecret),
  };
}

/** The session a cookie value stands for: null when unsigned, tampered, unknown, revoked or expired. */
export async function getAdminSession(
  db: DbOrTx,
  config: EnabledAdminConfig,
  cookieValue: string | null | undefined,
  now: number,
): Promise<AdminSession | null> {
  const token = verifySignedSessionToken(cookieValue, config.sessionSecret);
  if (!token) return null;
  const row = await getActiveAdminSession(db, hashSessionToken(token), new Date(now));
  if (!row) return null;
  return {
    username: row.username,
    tokenHash: row.tokenHash,
    expiresAt: row.expiresAt.getTime(),
    csrfToken: computeCsrfToken(token, config.sessionSecret),
  };
}

export async function endAdminSession(db: DbOrTx, session: AdminSession, now: number): Promise<boolean> {
  return revokeAdminSession(db, session.tokenHash, new Date(now));
}
