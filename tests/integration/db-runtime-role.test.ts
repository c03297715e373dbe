import { randomBytes } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { closeDb, createDb, type Db } from "@/lib/db/client";
import { applyDatabaseGrants } from "@/lib/db/migrate";
import { insertSymbols, listSymbols } from "@/lib/db/queries/symbols";
import {
  checkRuntimePrivileges,
  describePrivilegeProblems,
  getRuntimePrivileges,
  RuntimePrivilegeError,
} from "@/lib/db/runtime-privileges";

import { createTestDatabase, runCleanup, testLogger, uniqueId, type TestDatabase } from "./helpers";

/** SQLSTATE 42501: insufficient_privilege. */
const DENIED = "42501";

type TestRole = { name: string; url: string };

/** The SQLSTATE `statement` fails with as `db`'s role, or null when it succeeds. */
async function getErrorCode(db: Db, statement: string): Promise<string | null> {
  try {
    await db.$client.query(statement);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  }
}

/**
 * Roles are cluster-wide, so each test role gets a unique name and is dropped after the file (its
 * grants live in the test database, dropped first).
 */
async function createLoginRole(database: TestDatabase): Promise<TestRole> {
  // As the admin: the test database's own connection is the runtime role, which may not create roles.
  const name = uniqueId("tst_role");
  const password = randomBytes(18).toString("base64url");
  await database.adminDb.$client.query(
    `create role ${pg.escapeIdentifier(name)} login nosuperuser nocreatedb nocreaterole password ${pg.escapeLiteral(password)}`,
  );
  const url = new URL(database.url);
  url.username = name;
  url.password = password;
  return { name, url: url.toString() };
}

describe("the runtime role", () => {
  let database: TestDatabase;
  let runtime: TestRole;
  let bare: TestRole;
  let runtimeDb: Db;
  let bareDb: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    runtime = await createLoginRole(database);
    bare = await createLoginRole(database);
    await applyDatabaseGrants(database.adminDb, runtime.name);
    await database.adminDb.$client.query(
      `grant connect on database ${pg.escapeIdentifier(database.name)} to ${pg.escapeIdentifier(bare.name)}`,
    );
    runtimeDb = createDb(runtime.url, { max: 2 });
    bareDb = createDb(bare.url, { max: 1 });
  });

  afterAll(async () => {
    await runCleanup("closing the runtime pool", () => closeDb(runtimeDb));
    await runCleanup("closing the bare pool", () => closeDb(bareDb));
    const adminUrl = inject("adminDatabaseUrl");
    await runCleanup("dropping the test database", () => database.drop());
    await runCleanup("dropping the test roles", async () => {
      const admin = new pg.Client({ connectionString: new URL("/postgres", adminUrl).toString() });
      await admin.connect();
      try {
        for (const role of [runtime, bare])
          await admin.query(`drop role if exists ${pg.escapeIdentifier(role.name)}`);
      } finally {
        await admin.end();
      }
    });
  });

  it("cannot run a program on the server (COPY TO PROGRAM)", async () => {
    await expect(getErrorCode(runtimeDb, "copy (select 1) to program 'id'")).resolves.toBe(DENIED);
  });

  it("cannot create a table in schema public", async () => {
    await expect(getErrorCode(runtimeDb, "create table public.intruder (id int)")).resolves.toBe(DENIED);
  });

  it("cannot alter or drop the product's tables", async () => {
    await expect(getErrorCode(runtimeDb, "alter table symbols add column intruder int")).resolves.toBe(
      DENIED,
    );
    await expect(getErrorCode(runtimeDb, "drop table raw_ticks")).resolves.toBe(DENIED);
  });

  it("writes and reads the product's tables (the symbols trigger's NOTIFY included)", async () => {
    await insertSymbols(runtimeDb, [{ symbol: "RUNT", source: "external", status: "active" }]);
    expect((await listSymbols(runtimeDb)).map((s) => s.symbol)).toContain("RUNT");
    await runtimeDb.$client.query("delete from symbols where symbol = 'RUNT'");
  });

  it("gets DML on a table a later migration creates (the owner's default privileges)", async () => {
    await database.adminDb.$client.query("create table public.later_table (id int)");
    await runtimeDb.$client.query("insert into later_table values (1)");
    expect((await runtimeDb.$client.query("select id from later_table")).rows).toEqual([{ id: 1 }]);
  });

  it("passes the privilege check", async () => {
    const privileges = await getRuntimePrivileges(runtimeDb);
    expect(privileges).toEqual({ role: runtime.name, excess: [], missing: [] });
    await expect(
      checkRuntimePrivileges(runtimeDb, { mode: "enforce", logger: testLogger }),
    ).resolves.toBeUndefined();
  });

  it("the check refuses a superuser with one line naming the problem and the fix", async () => {
    const problem = describePrivilegeProblems(await getRuntimePrivileges(database.adminDb));
    expect(problem).toMatch(
      /^DATABASE_URL connects as role "[^"]+", which has too much privilege: it is a superuser/,
    );
    expect(problem).toContain("docs/sql/create-roles.sql");
    expect(problem).not.toContain("\n");
    await expect(
      checkRuntimePrivileges(database.adminDb, { mode: "enforce", logger: testLogger }),
    ).rejects.toBeInstanceOf(RuntimePrivilegeError);
  });

  it("the check refuses a role lacking DML, naming the privileges it lacks", async () => {
    const privileges = await getRuntimePrivileges(bareDb);
    expect(privileges.excess).toEqual([]);
    expect(privileges.missing).toContain("INSERT on symbols");
    expect(privileges.missing).toContain("SELECT on fact_prices");
    await expect(checkRuntimePrivileges(bareDb, { mode: "enforce", logger: testLogger })).rejects.toThrow(
      /too little: no DELETE on /,
    );
    await expect(
      checkRuntimePrivileges(bareDb, { mode: "warn", logger: testLogger }),
    ).resolves.toBeUndefined();
  });

  it("the check refuses a role that inherits the tables' owner", async () => {
    const owner = (
      await database.adminDb.$client.query<{ owner: string }>(
        "select pg_get_userbyid(relowner) as owner from pg_class where relname = 'symbols'",
      )
    ).rows[0]!.owner;
    const heir = await createLoginRole(database);
    try {
      await database.adminDb.$client.query(
        `grant connect on database ${pg.escapeIdentifier(database.name)} to ${pg.escapeIdentifier(heir.name)}`,
      );
      // A superuser owner cannot be inherited without making the heir one too; make a plain owner.
      await database.adminDb.$client.query(`create role ${pg.escapeIdentifier(`${heir.name}_o`)} nologin`);
      await database.adminDb.$client.query(
        `alter table later_table owner to ${pg.escapeIdentifier(`${heir.name}_o`)}`,
      );
      await database.adminDb.$client.query(
        `grant ${pg.escapeIdentifier(`${heir.name}_o`)} to ${pg.escapeIdentifier(heir.name)}`,
      );
      const heirDb = createDb(heir.url, { max: 1 });
      try {
        const privileges = await getRuntimePrivileges(heirDb);
        expect(privileges.excess).toContain("owns (or inherits the owner of) later_table");
      } finally {
        await closeDb(heirDb);
      }
    } finally {
      await database.adminDb.$client.query(`alter table later_table owner to ${pg.escapeIdentifier(owner)}`);
      await database.adminDb.$client.query(`drop owned by ${pg.escapeIdentifier(heir.name)}`);
      await database.adminDb.$client.query(`drop role ${pg.escapeIdentifier(heir.name)}`);
      await database.adminDb.$client.query(`drop role ${pg.escapeIdentifier(`${heir.name}_o`)}`);
    }
  });
});
