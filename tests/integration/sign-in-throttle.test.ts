import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  createAdminApiHarness,
  TEST_PASSWORD,
  type AdminApiHarness,
} from "@/tests/support/admin/admin-api-harness";
import { ACCOUNT_POLICY, ADDRESS_POLICY } from "@/lib/auth/sign-in-delay";
import { signInThrottle } from "@/lib/db/schema";

import { createTestDatabase, testLogger, type TestDatabase } from "./helpers";

// Failed sign-in delays (lib/auth/sign-in-delay.ts) through the admin API: two harnesses on one
// database stand for two web instances; each has its own clock, moved together by `advance`.

type ErrorBody = { error: { code: string; message: string } };

let database: TestDatabase;
let web1: AdminApiHarness;
let web2: AdminApiHarness;

beforeAll(async () => {
  database = await createTestDatabase();
  web1 = createAdminApiHarness({ db: database.db, logger: testLogger });
  web2 = createAdminApiHarness({ db: database.db, logger: testLogger });
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  // The harnesses' clocks only move forward; each test starts from empty counters.
  await database.adminDb.execute(sql`truncate sign_in_throttle`);
});

function advance(ms: number) {
  web1.advance(ms);
  web2.advance(ms);
}

async function signIn(web: AdminApiHarness, ip: string, password = "wrong password") {
  const res = await web.call(web.api.login, { method: "POST", body: { username: "admin", password }, ip });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after") === null ? null : Number(res.headers.get("retry-after")),
    message: res.status === 200 ? null : (res.body as ErrorBody).error.message,
  };
}

describe("sign-in throttling shared by every web instance", () => {
  it("counts one address's failures on both instances: 5 free, then a 1 s wait", async () => {
    const ip = "192.0.2.10";
    for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? web2 : web1, ip)).status).toBe(401);
    const refused = await signIn(web2, ip, TEST_PASSWORD);
    expect(refused).toEqual({
      status: 429,
      retryAfter: 1,
      message: "too many failed sign-ins from your address; try again in 1 second",
    });
    // Another address is not affected.
    expect((await signIn(web1, "192.0.2.11", TEST_PASSWORD)).status).toBe(200);
  });

  it("hears concurrent attempts from one address one at a time: exactly the free ones", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(i % 2 ? web2 : web1, "192.0.2.20")),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ADDRESS_POLICY.freeFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - ADDRESS_POLICY.freeFailures);
  });

  it("doubles an address's wait after each further failure, and a success clears it", async () => {
    const ip = "192.0.2.30";
    for (let i = 0; i < 5; i++) expect((await signIn(web1, ip)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const refused = await signIn(web2, ip);
      expect(refused.status).toBe(429);
      waits.push(refused.retryAfter!);
      advance(refused.retryAfter! * 1000 - 1);
      expect((await signIn(web1, ip)).status, "still waiting 1 ms before the end").toBe(429);
      advance(1);
      expect((await signIn(web1, ip)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    const refused = await signIn(web2, ip, TEST_PASSWORD);
    expect(refused.retryAfter).toBe(16);
    advance(16_000);
    expect((await signIn(web2, ip, TEST_PASSWORD)).status).toBe(200);
    // The address starts again from its free failures (once the account's own count has gone too).
    advance(ACCOUNT_POLICY.forgetAfterMs + 1);
    for (let i = 0; i < 5; i++) expect((await signIn(web1, ip)).status).toBe(401);
    expect((await signIn(web1, ip)).retryAfter).toBe(1);
  });

  it("forgets an address's failures an hour after the last one, and deletes stale counters", async () => {
    const ip = "192.0.2.40";
    for (let i = 0; i < 5; i++) expect((await signIn(web1, ip)).status).toBe(401);
    expect((await signIn(web1, ip)).status).toBe(429);
    advance(ADDRESS_POLICY.forgetAfterMs);
    // Still remembered at exactly one hour: the 6th failure is heard (its 1 s wait is long over) and counts.
    expect((await signIn(web1, ip)).status).toBe(401);
    expect((await signIn(web1, ip)).retryAfter).toBe(2);
    advance(ADDRESS_POLICY.forgetAfterMs + 1);
    for (let i = 0; i < 5; i++) expect((await signIn(web2, ip)).status).toBe(401);
    expect((await signIn(web2, ip)).retryAfter).toBe(1);

    advance(ADDRESS_POLICY.forgetAfterMs + 1);
    expect((await signIn(web1, "192.0.2.41")).status).toBe(401);
    const keys = (await database.db.select().from(signInThrottle)).map((r) => `${r.scope}:${r.key}`);
    expect(keys.sort()).toEqual(["account:admin", "address:192.0.2.41"]);
  });
});

describe("failures from many addresses never keep the right password out for long", () => {
  it("50 wrong passwords from 50 addresses, each heard: the admin at a new address gets in within 30 s, however the others time theirs", async () => {
    const attackers = Array.from({ length: 50 }, (_, i) => `198.51.100.${i + 1}`);
    let heard = 0;
    for (const ip of attackers) {
      let result = await signIn(ip.endsWith("1") ? web1 : web2, ip);
      if (result.status === 429) {
        // A new address waits the account's delay once, then is heard.
        expect(result.message).toMatch(/^too many failed sign-ins for this account from elsewhere/);
        expect(result.retryAfter).toBeLessThanOrEqual(ACCOUNT_POLICY.maxDelayMs / 1000);
        advance(result.retryAfter! * 1000);
        result = await signIn(web1, ip);
      }
      expect(result.status).toBe(401);
      heard++;
    }
    expect(heard).toBe(50);

    // The admin, from an address never seen, is asked to wait at most the account's cap.
    const admin = "203.0.113.99";
    const first = await signIn(web1, admin, TEST_PASSWORD);
    expect(first.status).toBe(429);
    expect(first.retryAfter).toBeLessThanOrEqual(30);
    // While it waits, attackers keep failing from addresses they had queued and from new ones: the
    // account's last failure is always "just now", yet the admin's turn does not move.
    advance(first.retryAfter! * 1000 - 1000);
    expect((await signIn(web2, attackers[0]!)).status).toBe(401);
    expect((await signIn(web2, "198.51.100.200")).status).toBe(429);
    advance(1000);
    expect((await signIn(web2, attackers[1]!)).status).toBe(401);
    expect((await signIn(web2, admin, TEST_PASSWORD)).status).toBe(200);
  });

  it("an address that was heard recently is not made to wait by the others' failures", async () => {
    const admin = "203.0.113.50";
    expect((await signIn(web1, admin, TEST_PASSWORD)).status).toBe(200);
    advance(60_000);
    // 50 quick wrong passwords from 50 addresses: the first 10 are heard, the rest wait their turn.
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await signIn(web2, `198.51.100.${100 + i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_POLICY.freeFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - ACCOUNT_POLICY.freeFailures);
    expect((await signIn(web1, admin, TEST_PASSWORD)).status).toBe(200);
  });
});
