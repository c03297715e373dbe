import path from "node:path";

import { createAdminApi, type AdminApi } from "@/lib/admin/admin-api";
import { createAdminDeps, type AdminDeps } from "@/lib/admin/admin-deps";
import { createReplaySymbolValidator, type SymbolValidator } from "@/lib/admin/symbol-validator";
import { resolveAdminConfig, type AdminConfigEnv } from "@/lib/auth/admin-config";
import type { Db } from "@/lib/db/client";
import type { Logger } from "@/lib/log";

export const TEST_ORIGIN = "http://admin.test";
export const TEST_PASSWORD = "correct-horse-battery";

type Handler<P> = (request: Request, ctx: { params: Promise<P> }) => Promise<Response>;

export type CallOptions<P> = {
  method?: string;
  path?: string;
  /** JSON-encoded unless already a string. */
  body?: unknown;
  headers?: Record<string, string>;
  params?: P;
  /** Sends the harness's signed-in cookie and CSRF token (default true once signed in). */
  isSignedIn?: boolean;
  ip?: string;
};

export type AdminApiHarness = {
  deps: AdminDeps;
  api: AdminApi;
  /** Moves the harness clock (session expiry, rate-limit windows). */
  advance: (ms: number) => void;
  /** Signs in as `admin` and remembers the cookie and CSRF token for later calls. */
  signIn: (ip?: string) => Promise<{ cookie: string; csrfToken: string }>;
  call: <P = Record<string, string>>(
    handler: Handler<P>,
    options?: CallOptions<P>,
  ) => Promise<{ status: number; headers: Headers; body: unknown }>;
};

/**
 * Drives the admin API the way the route files do (same handlers, same wrappers) with Request objects,
 * a caller's database, the replay validator over data/minute-bars, and a clock it controls. Requests
 * look like a browser's on http://admin.test (same-origin Origin header) unless told otherwise.
 */
export function createAdminApiHarness(options: {
  db: Db;
  logger: Logger;
  env?: Partial<AdminConfigEnv>;
  validator?: SymbolValidator;
  /** The deployment's source (INGEST_SOURCE); replay unless told otherwise. */
  defaultSource?: AdminDeps["defaultSource"];
}): AdminApiHarness {
  let now = Date.parse("2025-03-12T15:00:00Z");
  const config = resolveAdminConfig({
    NODE_ENV: "production",
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: TEST_PASSWORD,
    ADMIN_PASSWORD_HASH: undefined,
    SESSION_SECRET: "test-secret-".padEnd(64, "x"),
    SESSION_TTL_HOURS: 12,
    ADMIN_COOKIE_SECURE: undefined,
    PUBLIC_URL: undefined,
    ...options.env,
  });
  const deps = createAdminDeps({
    db: options.db,
    config,
    validator: options.validator ?? createReplaySymbolValidator(path.resolve("data/minute-bars")),
    defaultSource: options.defaultSource ?? "replay",
    defaultTimeZone: "America/New_York",
    logger: options.logger,
    clock: () => now,
  });
  const api = createAdminApi(() => deps);
  let auth: { cookie: string; csrfToken: string } | null = null;

  const call: AdminApiHarness["call"] = async <P>(handler: Handler<P>, o: CallOptions<P> = {}) => {
    const method = o.method ?? "GET";
    const headers: Record<string, string> = {
      host: "admin.test",
      "x-forwarded-for": o.ip ?? "203.0.113.10",
      "user-agent": "vitest",
    };
    if (method !== "GET") Object.assign(headers, { origin: TEST_ORIGIN, "sec-fetch-site": "same-origin" });
    if (o.body !== undefined) headers["content-type"] = "application/json";
    if (auth && o.isSignedIn !== false)
      Object.assign(headers, { cookie: auth.cookie, "x-csrf-token": auth.csrfToken });
    Object.assign(headers, o.headers);
    for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
    const request = new Request(`${TEST_ORIGIN}${o.path ?? "/api/admin"}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body),
    });
    const response = await handler(request, { params: Promise.resolve(o.params ?? ({} as P)) });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as unknown) : null,
    };
  };

  return {
    deps,
    api,
    advance: (ms) => {
      now += ms;
    },
    async signIn(ip) {
      auth = null;
      const response = await call(api.login, {
        method: "POST",
        body: { username: "admin", password: TEST_PASSWORD },
        ip,
      });
      if (response.status !== 200)
        throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
      const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
      auth = { cookie, csrfToken: (response.body as { csrfToken: string }).csrfToken };
      return auth;
    },
    call,
  };
}
