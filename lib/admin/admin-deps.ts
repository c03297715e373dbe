import type { AdminConfig, EnabledAdminConfig } from "@/lib/auth/admin-config";
import { createCredentialCheck, type CredentialCheck } from "@/lib/auth/credentials";
import { createSignInThrottle, type SignInThrottle } from "@/lib/auth/sign-in-throttle";
import type { Db } from "@/lib/db/client";
import type { SymbolSource } from "@/lib/db/queries/symbols";
import type { Logger } from "@/lib/log";
import type { SymbolValidator } from "@/lib/admin/symbol-validator";

/** What the admin API and pages need: passed in, so tests hand in a test database and fakes. */
export type AdminDeps = {
  db: Db;
  config: AdminConfig;
  /** null when admin is disabled. */
  checkCredentials: CredentialCheck | null;
  validator: SymbolValidator;
  /** Failed sign-in delays per address and account, shared with every web instance through `db`. */
  signInThrottle: SignInThrottle;
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

/** Builds the deps of one process: credential check from `config`, sign-in throttle over `db` from `config`. */
export function createAdminDeps(
  options: Omit<AdminDeps, "checkCredentials" | "signInThrottle" | "clock"> & { clock?: () => number },
): AdminDeps {
  return {
    ...options,
    clock: options.clock ?? Date.now,
    checkCredentials: options.config.isEnabled ? createCredentialCheck(options.config.credentials) : null,
    signInThrottle: createSignInThrottle(options.db),
  };
}
