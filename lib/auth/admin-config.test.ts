import { describe, expect, it, vi } from "vitest";

import { resolveAdminConfig, type AdminConfigEnv } from "@/lib/auth/admin-config";

const base: AdminConfigEnv = {
  NODE_ENV: "production",
  ADMIN_USERNAME: "admin",
  ADMIN_PASSWORD: undefined,
  ADMIN_PASSWORD_HASH: undefined,
  SESSION_SECRET: undefined,
  SESSION_TTL_HOURS: 12,
  ADMIN_COOKIE_SECURE: undefined,
  PUBLIC_URL: undefined,
};

describe("admin configuration", () => {
  it("stays disabled in production without a password, naming what to set", () => {
    const config = resolveAdminConfig({ ...base, SESSION_SECRET: "x".repeat(32) });
    expect(config).toEqual({
      isEnabled: false,
      reason: "set ADMIN_PASSWORD (or ADMIN_PASSWORD_HASH) in the environment and restart the web server",
    });
  });

  it("stays disabled in production without SESSION_SECRET", () => {
    const config = resolveAdminConfig({ ...base, ADMIN_PASSWORD: "long enough" });
    expect(config.isEnabled).toBe(false);
    expect(!config.isEnabled && config.reason).toContain("SESSION_SECRET");
  });

  it("is enabled in production with a hash (preferred over a plain password) and a secret", () => {
    const config = resolveAdminConfig({
      ...base,
      ADMIN_PASSWORD_HASH: "scrypt$1$1$1$a$b",
      ADMIN_PASSWORD: "plain one",
      SESSION_SECRET: "x".repeat(32),
      PUBLIC_URL: "https://ts.example.com/app",
    });
    expect(config).toMatchObject({
      isEnabled: true,
      credentials: { kind: "hash", username: "admin" },
      sessionTtlMs: 12 * 3_600_000,
      publicOrigin: "https://ts.example.com",
    });
  });

  it("in development generates a password, reports it once, and uses a random secret", () => {
    const onGeneratedPassword = vi.fn();
    const config = resolveAdminConfig({ ...base, NODE_ENV: "development" }, { onGeneratedPassword });
    expect(onGeneratedPassword).toHaveBeenCalledTimes(1);
    const [username, password] = onGeneratedPassword.mock.calls[0] as [string, string];
    expect(username).toBe("admin");
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(config).toMatchObject({ isEnabled: true, credentials: { kind: "plain", password } });
    expect(config.isEnabled && config.sessionSecret.length).toBe(64);
  });

  it("passes ADMIN_COOKIE_SECURE through (undefined = decide per request)", () => {
    const on = resolveAdminConfig({
      ...base,
      ADMIN_PASSWORD: "long enough",
      SESSION_SECRET: "x".repeat(32),
      ADMIN_COOKIE_SECURE: true,
    });
    expect(on.isEnabled && on.cookieSecure).toBe(true);
  });
});
