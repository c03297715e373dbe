import type { AdminConfig, EnabledAdminConfig } from "@/lib/auth/admin-config";
import { createCredentialCheck, type CredentialCheck } from "@/lib/auth/credentials";
import { createRateLimiter, type RateLimiter } from "@/lib/auth/rate-limiter";
import type { Db } from "@/lib/db/client";
import type { SymbolSource } from "@/lib/db/queries/symbols";
import type { Logger } from "@/lib/log";
import type { SymbolValidator } from "@/lib/admin/symbol-validator";

/** Failed sign-ins one client may make per window before it gets 429. */
export const LOGIN_FAILURES_PER_CLIENT = 5;
/**
 * Failed sign-ins all clients together may make per window: a backstop for clients that rotate their
 * claimed address (x-forwarded-for) to dodge the per-client limit. It can lock the admin out for one
 * window while someone hammers the form; that is the price of bounding guesses.
 */
export const LOGIN_FAILURES_PER_WINDOW = 50;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/** What the admin API and pages need: passed in, so tests hand in a test database and fakes. */
export type AdminDeps = {
  db: Db;
  config: AdminConfig;
  /** null when admin is disabled. */
  checkCredentials: CredentialCheck | null;
  validator: SymbolValidator;
  loginLimiter: { perClient: RateLimiter; overall: RateLimiter };
  /** INGEST_SOURCE: the source of symbols whose own source is null. */
  defaultSource: SymbolSource;
  /** EXCHANGE_TIMEZONE: the time zone of symbols the source does not describe. */
  defaultTimeZone: string;
  clock: () => number;
  logger: Logger;
};

export type EnabledAdminDeps = AdminDeps & { config: EnabledAdminConfig; checkCredentials: CredentialCheck };

export function isAdminEnabled(deps: AdminDeps): deps is EnabledAdminDeps {
  return deps.config.isEnabled && deps.checkCredentials !== null;
}

/** Builds the deps of one process: credential check and sign-in limiters derived from `config`. */
export function createAdminDeps(
  options: Omit<AdminDeps, "checkCredentials" | "loginLimiter" | "clock"> & { clock?: () => number },
): AdminDeps {
  return {
    ...options,
    clock: options.clock ?? Date.now,
    checkCredentials: options.config.isEnabled ? createCredentialCheck(options.config.credentials) : null,
    loginLimiter: {
      perClient: createRateLimiter({ limit: LOGIN_FAILURES_PER_CLIENT, windowMs: LOGIN_WINDOW_MS }),
      overall: createRateLimiter({ limit: LOGIN_FAILURES_PER_WINDOW, windowMs: LOGIN_WINDOW_MS, maxKeys: 1 }),
    },
  };
}
