import "server-only";

import path from "node:path";

import { cookies } from "next/headers";

import { getDb } from "@/app/_data/server-context";
import { createAdminApi } from "@/lib/admin/admin-api";
import { createWebhookAdminApi } from "@/lib/admin/webhook-admin-api";
import { parseWebhookHostPolicy } from "@/lib/alerts/webhook-url";
import { createAdminDeps, isAdminEnabled, type AdminDeps } from "@/lib/admin/admin-deps";
import { getAdminSession, type AdminSession } from "@/lib/admin/admin-session";
import {
  createReplaySymbolValidator,
  createSyntheticSymbolValidator,
  createYahooSymbolValidator,
  type SymbolValidator,
} from "@/lib/admin/symbol-validator";
import { resolveAdminConfig } from "@/lib/auth/admin-config";
import { SESSION_COOKIE_NAME } from "@/lib/auth/session-token";
import { getEnv, type Env } from "@/lib/env";
import { createYahooClient, type YahooClient } from "@/lib/ingest/yahoo/client";
import { lookupYahooSymbols } from "@/lib/ingest/yahoo/lookup";
import { createLogger, type Logger } from "@/lib/log";

const KEY = Symbol.for("tickstream.adminDeps");

function createSymbolValidator(env: Env, logger: Logger): SymbolValidator {
  switch (env.INGEST_SOURCE) {
    case "replay":
      return createReplaySymbolValidator(path.resolve(env.REPLAY_DATA_DIR));
    case "synthetic":
      return createSyntheticSymbolValidator();
    case "yahoo": {
      let client: YahooClient | undefined;
      return createYahooSymbolValidator(
        () => (client ??= createYahooClient({ concurrency: env.YAHOO_CONCURRENCY, logger })),
        lookupYahooSymbols,
      );
    }
  }
}

/**
 * The admin deps of this web process, built on first use and kept across dev reloads (so a generated
 * development password is printed once and sessions and sign-in limits survive a reload).
 */
export function getAdminDeps(): AdminDeps {
  const store = globalThis as Record<symbol, AdminDeps | undefined>;
  if (!store[KEY]) {
    const env = getEnv();
    const logger = createLogger("web").child({ component: "admin" });
    const config = resolveAdminConfig(env, {
      onGeneratedPassword: (username, password) =>
        logger.warn(
          `Admin sign-in for this process: user "${username}", password "${password}" (generated because ADMIN_PASSWORD and ADMIN_PASSWORD_HASH are unset)`,
        ),
    });
    if (!config.isEnabled) logger.error(`admin is disabled: ${config.reason}`);
    store[KEY] = createAdminDeps({
      db: getDb(),
      config,
      validator: createSymbolValidator(env, logger),
      defaultSource: env.INGEST_SOURCE,
      defaultTimeZone: env.EXCHANGE_TIMEZONE,
      logger,
    });
  }
  return store[KEY];
}

/** The admin route handlers, bound to this process's deps. */
export const adminApi = createAdminApi(getAdminDeps);

/** The webhook endpoints' admin route handlers; WEBHOOK_ALLOWED_HOSTS as this process reads it. */
export const webhookAdminApi = createWebhookAdminApi(getAdminDeps, () =>
  parseWebhookHostPolicy(getEnv().WEBHOOK_ALLOWED_HOSTS),
);

/** The signed-in admin of the request being rendered, or null. */
export async function getCurrentAdminSession(): Promise<AdminSession | null> {
  const deps = getAdminDeps();
  if (!isAdminEnabled(deps)) return null;
  const value = (await cookies()).get(SESSION_COOKIE_NAME)?.value;
  return getAdminSession(deps.db, deps.config, value, deps.clock());
}
