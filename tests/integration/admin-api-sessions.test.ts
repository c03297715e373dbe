import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createAdminApiHarness,
  TEST_PASSWORD,
  type AdminApiHarness,
} from "@/tests/support/admin/admin-api-harness";
import { hashPassword } from "@/lib/auth/password";
import { hashSessionToken } from "@/lib/auth/session-token";
import { listAuditEntries } from "@/lib/db/queries/audit-log";
import { adminSessions } from "@/lib/db/schema";

import { createTestDatabase, testLogger, type TestDatabase } from "./helpers";

type ErrorBody = { error: { code: string; message: string } };
const messageOf = (body: unknown) => (body as ErrorBody).error.message;

// Sign-in and sessions of the admin API, in process (admin-api-harness); failed sign-in delays are in
// sign-in-throttle.test.ts.

let database: TestDatabase;
let h: AdminApiHarness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = createAdminApiHarness({ db: database.db, logger: testLogger });
});

afterAll(async () => {
  await database.drop();
});

describe("admin API: sign-in and sessions", () => {
  it("401 for a wrong password, recorded as a failed sign-in with the client address", async () => {
    const res = await h.call(h.api.login, {
      method: "POST",
      body: { username: "admin", password: "wrong" },
      ip: "198.51.100.1",
    });
    expect(res.status).toBe(401);
    expect(messageOf(res.body)).toBe("wrong username or password");
    expect(res.headers.get("set-cookie")).toBeNull();
    const [entry] = await listAuditEntries(database.db, { limit: 1 });
    expect(entry).toMatchObject({ action: "session.login_failed", actor: "admin", clientIp: "198.51.100.1" });
  });

  it("200 sets an httpOnly, SameSite=Lax, Path=/ cookie expiring with the session; only the token's SHA-256 is stored", async () => {
    const res = await h.call(h.api.login, {
      method: "POST",
      body: { username: "admin", password: TEST_PASSWORD },
      ip: "198.51.100.2",
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(
      /^tickstream_admin=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Expires=/,
    );
    expect(setCookie).not.toContain("Secure");
    const body = res.body as { username: string; csrfToken: string; expiresAt: number };
    expect(body.username).toBe("admin");
    expect(body.csrfToken).toMatch(/^[\w-]{43}$/);

    const token = /^tickstream_admin=([\w-]+)\./.exec(setCookie)![1]!;
    const rows = await database.db
      .select()
      .from(adminSessions)
      .where(eq(adminSessions.tokenHash, hashSessionToken(token)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      username: "admin",
      clientIp: "198.51.100.2",
      userAgent: "vitest",
      revokedAt: null,
    });
    expect(rows[0]!.expiresAt.getTime()).toBe(body.expiresAt);
    const stored = await database.db.select({ hash: adminSessions.tokenHash }).from(adminSessions);
    expect(stored.every((r) => r.hash !== token && /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
  });

  it("marks the cookie Secure when the request came over https", async () => {
    const res = await h.call(h.api.login, {
      method: "POST",
      body: { username: "admin", password: TEST_PASSWORD },
      headers: { "x-forwarded-proto": "https", origin: "https://admin.test" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("401 without a cookie, with a forged or tampered cookie, and after the session expires", async () => {
    expect((await h.call(h.api.listSymbols, { isSignedIn: false })).status).toBe(401);
    const { cookie } = await h.signIn();
    expect((await h.call(h.api.listSymbols)).status).toBe(200);
    const tampered = cookie.replace(/\.([\w-])/, (_, c: string) => `.${c === "A" ? "B" : "A"}`);
    expect((await h.call(h.api.listSymbols, { headers: { cookie: tampered } })).status).toBe(401);
    expect(
      (await h.call(h.api.listSymbols, { headers: { cookie: "tickstream_admin=abc.def" } })).status,
    ).toBe(401);
    h.advance(12 * 3_600_000 + 1000);
    const expired = await h.call(h.api.listSymbols);
    expect(expired.status).toBe(401);
    expect(messageOf(expired.body)).toMatch(/^sign in first/);
  });

  it("sign-out revokes the session and clears the cookie; the old cookie is then refused", async () => {
    const { cookie, csrfToken } = await h.signIn();
    const res = await h.call(h.api.logout, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(
      /^tickstream_admin=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0;/,
    );
    const token = /^tickstream_admin=([\w-]+)\./.exec(cookie)![1]!;
    const [row] = await database.db
      .select()
      .from(adminSessions)
      .where(eq(adminSessions.tokenHash, hashSessionToken(token)));
    expect(row!.revokedAt).not.toBeNull();
    expect((await h.call(h.api.listSymbols, { headers: { cookie, "x-csrf-token": csrfToken } })).status).toBe(
      401,
    );
    const entries = await listAuditEntries(database.db, { limit: 2 });
    expect(entries[0]).toMatchObject({ action: "session.logout", actor: "admin" });
  });

  it("verifies ADMIN_PASSWORD_HASH when that is what is configured", async () => {
    const hashed = createAdminApiHarness({
      db: database.db,
      logger: testLogger,
      env: { ADMIN_PASSWORD: undefined, ADMIN_PASSWORD_HASH: hashPassword("from-the-hash") },
    });
    expect(
      (
        await hashed.call(hashed.api.login, {
          method: "POST",
          body: { username: "admin", password: TEST_PASSWORD },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await hashed.call(hashed.api.login, {
          method: "POST",
          body: { username: "admin", password: "from-the-hash" },
        })
      ).status,
    ).toBe(200);
  });
});
