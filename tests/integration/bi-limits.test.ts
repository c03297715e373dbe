import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BI_ROLE, startBiWatchdog } from "@/lib/db/bi-watchdog";
import { getEnv } from "@/lib/env";

import { connectAsBiRole, getErrorCode } from "./bi-helpers";
import { createTestDatabase, testLogger, type TestDatabase } from "./helpers";

describe("the BI role's limits", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("a statement that lifted its own statement_timeout is cancelled by the watchdog past the limit", async () => {
    const stop = startBiWatchdog({ db: database.db, logger: testLogger, limitSeconds: 1, intervalMs: 200 });
    const bi = await connectAsBiRole(database.url);
    try {
      // Allowed to any role for its own session: the role setting alone cannot hold the limit.
      await bi.query("set statement_timeout = 0");
      expect((await bi.query<{ statement_timeout: string }>("show statement_timeout")).rows[0]).toEqual({
        statement_timeout: "0",
      });
      const startedAt = Date.now();
      expect(await getErrorCode(bi, "select pg_sleep(30)")).toBe("57014"); // query_canceled
      const ranMs = Date.now() - startedAt;
      expect(ranMs).toBeGreaterThanOrEqual(1_000);
      expect(ranMs).toBeLessThan(30_000);
      // The session survives: only the statement was cancelled.
      expect((await bi.query("select 1 as ok")).rows).toEqual([{ ok: 1 }]);
      // A statement under the limit is left alone.
      expect(await getErrorCode(bi, "select pg_sleep(0.3)")).toBeNull();
    } finally {
      await bi.end();
      await stop();
    }
  });

  it("has the configured statement_timeout and connection limit as role settings", async () => {
    const env = getEnv();
    const bi = await connectAsBiRole(database.url);
    try {
      const { rows } = await bi.query<{ statement_timeout: string }>("show statement_timeout");
      expect(rows[0]?.statement_timeout).toBe(
        env.BI_STATEMENT_LIMIT_SECONDS % 60 === 0
          ? `${env.BI_STATEMENT_LIMIT_SECONDS / 60}min`
          : `${env.BI_STATEMENT_LIMIT_SECONDS}s`,
      );
    } finally {
      await bi.end();
    }
    const role = await database.db.$client.query<{ rolconnlimit: number }>(
      "select rolconnlimit from pg_roles where rolname = $1",
      [BI_ROLE],
    );
    expect(role.rows).toEqual([{ rolconnlimit: env.BI_MAX_CONNECTIONS }]);
  });

  it("cannot connect to the cluster's maintenance databases", async () => {
    for (const other of ["postgres", "template1"]) {
      const url = new URL(database.url);
      url.pathname = `/${other}`;
      const error = await connectAsBiRole(url.toString()).then(
        async (client) => {
          await client.end();
          return null;
        },
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code, `connecting to ${other}`).toBe("42501"); // insufficient_privilege
    }
  });
});
