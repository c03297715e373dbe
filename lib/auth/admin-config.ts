import { randomBytes } from "node:crypto";

import type { AdminCredentials } from "@/lib/auth/credentials";
import type { Env } from "@/lib/env";

export type AdminConfigEnv = Pick<
  Env,
  | "NODE_ENV"
  | "ADMIN_USERNAME"
  | "ADMIN_PASSWORD"
  | "ADMIN_PASSWORD_HASH"
  | "SESSION_SECRET"
  | "SESSION_TTL_HOURS"
  | "ADMIN_COOKIE_SECURE"
  | "PUBLIC_URL"
>;

export type EnabledAdminConfig = {
  isEnabled: true;
  credentials: AdminCredentials;
  sessionSecret: string;
  sessionTtlMs: number;
  /** ADMIN_COOKIE_SECURE; undefined = Secure exactly when the request came over https. */
  cookieSecure: boolean | undefined;
  /** PUBLIC_URL's origin, accepted as a request origin besides the server's own. */
  publicOrigin: string | null;
};

export type DisabledAdminConfig = { isEnabled: false; reason: string };

export type AdminConfig = EnabledAdminConfig | DisabledAdminConfig;

/**
 * Admin settings from the environment. In production admin needs a password (ADMIN_PASSWORD_HASH or
 * ADMIN_PASSWORD) and SESSION_SECRET, or it stays disabled with the reason. Elsewhere a missing
 * password is generated and handed to `onGeneratedPassword` (to print once), and a missing secret is
 * random, so sessions end with the process.
 */
export function resolveAdminConfig(
  env: AdminConfigEnv,
  options: { onGeneratedPassword?: (username: string, password: string) => void } = {},
): AdminConfig {
  const isProduction = env.NODE_ENV === "production";
  const hasPassword = Boolean(env.ADMIN_PASSWORD_HASH ?? env.ADMIN_PASSWORD);
  if (isProduction && (!hasPassword || !env.SESSION_SECRET)) {
    const missing = [
      ...(hasPassword ? [] : ["ADMIN_PASSWORD (or ADMIN_PASSWORD_HASH)"]),
      ...(env.SESSION_SECRET ? [] : ["SESSION_SECRET"]),
    ];
    return {
      isEnabled: false,
      reason: `set ${missing.join(" and ")} in the environment and restart the web server`,
    };
  }
  let credentials: AdminCredentials;
  if (env.ADMIN_PASSWORD_HASH)
    credentials = { username: env.ADMIN_USERNAME, kind: "hash", passwordHash: env.ADMIN_PASSWORD_HASH };
  else if (env.ADMIN_PASSWORD)
    credentials = { username: env.ADMIN_USERNAME, kind: "plain", password: env.ADMIN_PASSWORD };
  else {
    const password = randomBytes(12).toString("base64url");
    options.onGeneratedPassword?.(env.ADMIN_USERNAME, password);
    credentials = { username: env.ADMIN_USERNAME, kind: "plain", password };
  }
  return {
    isEnabled: true,
    credentials,
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString("hex"),
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    cookieSecure: env.ADMIN_COOKIE_SECURE,
    publicOrigin: env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : null,
  };
}
