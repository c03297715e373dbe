import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createAdminApiHarness,
  TEST_PASSWORD,
  type AdminApiHarness,
} from "@/tests/support/admin/admin-api-harness";
import { symbols } from "@/lib/db/schema";

import { createTestDatabase, testLogger, type TestDatabase } from "./helpers";

type ErrorBody = { error: { code: string; message: string } };
const messageOf = (body: unknown) => (body as ErrorBody).error.message;

// What the admin API refuses before any use case runs: cross-site requests, bad bodies, missing
// credentials in production.

let database: TestDatabase;
let h: AdminApiHarness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = createAdminApiHarness({ db: database.db, logger: testLogger });
});

afterAll(async () => {
  await database.drop();
});

describe("admin API: cross-site protection", () => {
  beforeAll(async () => {
    await h.signIn();
  });

  it("403 for a state-changing request from another origin, even with a valid session and CSRF token", async () => {
    const res = await h.call(h.api.addSymbols, {
      method: "POST",
      body: { symbols: "NVDA" },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(messageOf(res.body)).toBe(
      "cross-site request refused (origin https://evil.example is not this site)",
    );
  });

  it("403 when the browser says Sec-Fetch-Site: cross-site", async () => {
    const res = await h.call(h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "NVDA" },
      body: { status: "paused" },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
  });

  it("403 without the CSRF token, or with another session's", async () => {
    const res = await h.call(h.api.addSymbols, {
      method: "POST",
      body: { symbols: "NVDA" },
      headers: { "x-csrf-token": "" },
    });
    expect(res.status).toBe(403);
    expect(messageOf(res.body)).toMatch(/^missing or wrong CSRF token/);
    const other = createAdminApiHarness({ db: database.db, logger: testLogger });
    const { csrfToken: foreign } = await other.signIn();
    expect(
      (
        await h.call(h.api.addSymbols, {
          method: "POST",
          body: { symbols: "NVDA" },
          headers: { "x-csrf-token": foreign },
        })
      ).status,
    ).toBe(403);
    expect(await database.db.select().from(symbols).where(eq(symbols.symbol, "NVDA"))).toHaveLength(0);
  });

  it("403 for a cross-site sign-in attempt (login CSRF)", async () => {
    const res = await h.call(h.api.login, {
      method: "POST",
      body: { username: "admin", password: TEST_PASSWORD },
      isSignedIn: false,
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });

  it("reads (GET) need a session but no token", async () => {
    expect(
      (await h.call(h.api.listAudit, { path: "/api/admin/audit", headers: { "x-csrf-token": "" } })).status,
    ).toBe(200);
  });
});

describe("admin API: bodies", () => {
  beforeAll(async () => {
    await h.signIn();
  });

  it("413 for a body over 16 KiB", async () => {
    const res = await h.call(h.api.addSymbols, { method: "POST", body: { symbols: "A ".repeat(9000) } });
    expect(res.status).toBe(413);
    expect(messageOf(res.body)).toBe("the request body is larger than 16 KiB");
  });

  it("400 with an actionable message for malformed JSON, a wrong content type or unknown fields", async () => {
    const broken = await h.call(h.api.addSymbols, { method: "POST", body: "{symbols: NVDA" });
    expect(broken.status).toBe(400);
    expect(messageOf(broken.body)).toBe("the request body is not valid JSON");
    const form = await h.call(h.api.addSymbols, {
      method: "POST",
      body: "symbols=NVDA",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect(messageOf(form.body)).toMatch(/content-type: application\/json/);
    expect(
      (await h.call(h.api.addSymbols, { method: "POST", body: { symbols: "NVDA", admin: true } })).status,
    ).toBe(400);
  });
});

describe("admin API: disabled in production without credentials", () => {
  it("503 for every admin endpoint, naming what to set", async () => {
    const disabled = createAdminApiHarness({
      db: database.db,
      logger: testLogger,
      env: { ADMIN_PASSWORD: undefined, SESSION_SECRET: undefined },
    });
    const login = await disabled.call(disabled.api.login, {
      method: "POST",
      body: { username: "admin", password: "x" },
    });
    expect(login.status).toBe(503);
    expect(messageOf(login.body)).toBe(
      "admin is disabled: set ADMIN_PASSWORD (or ADMIN_PASSWORD_HASH) and SESSION_SECRET in the environment and restart the web server",
    );
    expect((await disabled.call(disabled.api.listSymbols)).status).toBe(503);
  });
});
