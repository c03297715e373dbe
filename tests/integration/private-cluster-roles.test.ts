import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDb, createDb } from "@/lib/db/client";
import { getRuntimePrivileges } from "@/lib/db/runtime-privileges";
import { postgresSecretsSchema, type PostgresSecrets } from "@/scripts/stack/postgres-secrets";
import { findFreePort } from "@/scripts/stack/ports";
import { runNode } from "@/tests/support/run-node";

// The private cluster's roles on throwaway clusters of their own (a temporary data folder, a free
// port), never the shared stack: one made fresh, one made the way every cluster was before the roles.

/** SQLSTATE 42501: insufficient_privilege; 28P01: invalid_password. */
const DENIED = "42501";
const WRONG_PASSWORD = "28P01";

/** What `npm start` does to PostgreSQL before the processes start: roles, then migrations as the owner. */
const BRING_UP = `(async () => {
  const { parseEnv } = await import("./lib/env.ts");
  const { ensureProductPostgres } = await import("./scripts/stack/postgres-roles.ts");
  const { migrateProductDatabase } = await import("./scripts/stack/infra.ts");
  const { access } = await ensureProductPostgres(parseEnv(process.env));
  await migrateProductDatabase(access);
})().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;

/** The cluster as the stack scripts made it before the roles: superuser tickstream/tickstream owns all. */
const MAKE_LEGACY = `(async () => {
  const { ensurePostgres } = await import("./scripts/stack/postgres.ts");
  const { migrateDatabase } = await import("./lib/db/migrate.ts");
  await ensurePostgres(process.env.DATABASE_URL);
  await migrateDatabase(process.env.DATABASE_URL, { biPassword: "legacy-bi-password" });
})().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;

const STOP = `import("./scripts/stack/postgres.ts").then((m) => { m.stopPrivatePostgres(); process.exit(0); })`;

type Cluster = { root: string; dataDir: string; port: number; env: Record<string, string> };

/**
 * A checkout's place for a cluster, inside a folder the `postgres` user (which runs the cluster when
 * the tests run as root) may traverse: its data folder not made yet, as in a fresh clone, or made
 * (`made`) and traversable, as the stack scripts left it before the roles existed.
 */
async function createClusterDir(made: boolean): Promise<Cluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), "tickstream-roles-"));
  chmodSync(root, 0o755);
  const dataDir = path.join(root, ".data");
  if (made) {
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
  }
  const port = await findFreePort();
  return {
    root,
    dataDir,
    port,
    env: {
      TICKSTREAM_DATA_DIR: dataDir,
      DATABASE_URL: `postgres://tickstream_app@127.0.0.1:${port}/tickstream`,
      DATABASE_OWNER_URL: "",
      BI_READONLY_PASSWORD: "",
    },
  };
}

async function removeCluster(cluster: Cluster | undefined): Promise<void> {
  if (!cluster) return;
  if (existsSync(path.join(cluster.dataDir, "postgres", "postmaster.pid")))
    await runNode(["-e", STOP], cluster.env);
  rmSync(cluster.root, { recursive: true, force: true });
}

function readSecrets(cluster: Cluster): PostgresSecrets {
  return postgresSecretsSchema.parse(
    JSON.parse(readFileSync(path.join(cluster.dataDir, "secrets", "postgres.json"), "utf8")),
  );
}

function urlOf(
  cluster: Cluster,
  user: { username: string; password: string },
  database = "tickstream",
): string {
  return `postgres://${encodeURIComponent(user.username)}:${encodeURIComponent(user.password)}@127.0.0.1:${cluster.port}/${database}`;
}

async function getConnectError(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function getErrorCode(client: pg.Client, statement: string): Promise<string | null> {
  try {
    await client.query(statement);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  }
}

/** What every private cluster must look like after `npm start`, fresh or upgraded. */
async function expectLeastPrivilege(cluster: Cluster, secrets: PostgresSecrets): Promise<void> {
  const secretsFile = path.join(cluster.dataDir, "secrets", "postgres.json");
  expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
  expect(statSync(path.dirname(secretsFile)).mode & 0o777).toBe(0o700);
  expect(
    await getConnectError(urlOf(cluster, { username: "tickstream", password: "tickstream" }, "postgres")),
  ).toBe(WRONG_PASSWORD);

  const owners = await withClient(urlOf(cluster, secrets.superuser), async (client) => {
    const { rows } = await client.query<{ owner: string }>(`
      select distinct pg_get_userbyid(c.relowner) as owner from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'bi', 'drizzle')
      union select pg_get_userbyid(datdba) from pg_database where datname = 'tickstream'
      union select pg_get_userbyid(nspowner) from pg_namespace where nspname in ('public', 'bi', 'drizzle')
      union select pg_get_userbyid(p.proowner) from pg_proc p
        join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('public', 'bi', 'drizzle')`);
    return rows.map((r) => r.owner);
  });
  expect(owners).toEqual(["tickstream_owner"]);

  await withClient(urlOf(cluster, secrets.app), async (app) => {
    expect(await getErrorCode(app, "copy (select 1) to program 'id'")).toBe(DENIED);
    expect(await getErrorCode(app, "create table public.intruder (id int)")).toBe(DENIED);
    expect(await getErrorCode(app, "create schema intruder")).toBe(DENIED);
    await app.query("insert into symbols (symbol, source, status) values ('ROLE', 'external', 'active')");
    await app.query("delete from symbols where symbol = 'ROLE'");
  });
  const appDb = createDb(urlOf(cluster, secrets.app), { max: 1 });
  try {
    expect(await getRuntimePrivileges(appDb)).toEqual({
      role: secrets.app.username,
      excess: [],
      missing: [],
    });
  } finally {
    await closeDb(appDb);
  }
  expect(await getConnectError(urlOf(cluster, secrets.app, "postgres"))).toBe(DENIED);

  await withClient(urlOf(cluster, secrets.bi), async (bi) => {
    await bi.query("select count(*) from bi.price_trend");
    expect(await getErrorCode(bi, "select count(*) from public.symbols")).toBe(DENIED);
  });
  expect(await getConnectError(urlOf(cluster, secrets.bi, "postgres"))).toBe(DENIED);
}

describe("the private cluster's roles", () => {
  let fresh: Cluster | undefined;
  let legacy: Cluster | undefined;

  beforeAll(async () => {
    fresh = await createClusterDir(false);
    legacy = await createClusterDir(true);
    const made = await runNode(["-e", MAKE_LEGACY], {
      ...legacy.env,
      DATABASE_URL: `postgres://tickstream:tickstream@127.0.0.1:${legacy.port}/tickstream`,
    });
    expect(made.code, made.output).toBe(0);
    expect((await runNode(["-e", STOP], legacy.env)).code).toBe(0);
  });

  afterAll(async () => {
    await removeCluster(fresh);
    await removeCluster(legacy);
  });

  it("a new cluster gets generated passwords, an owner, a runtime role with DML only and the BI role", async () => {
    const run = await runNode(["-e", BRING_UP], fresh!.env);
    expect(run.code, run.output).toBe(0);
    const secrets = readSecrets(fresh!);
    expect(secrets.superuser.username).toBe("postgres");
    // In the data folder itself, not moved out to /var/tmp: the folder that did not exist was made
    // traversable for the cluster's owner before anything (the passwords) created it. Only as root does
    // this tell the fix from its absence: another user runs the cluster as itself.
    expect(existsSync(path.join(fresh!.dataDir, "postgres", "PG_VERSION"))).toBe(true);
    await expectLeastPrivilege(fresh!, secrets);
  });

  it("a cluster made before the roles is upgraded on its next start: new passwords, objects handed to the owner", async () => {
    const run = await runNode(["-e", BRING_UP], legacy!.env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("upgrading the private cluster");
    const secrets = readSecrets(legacy!);
    expect(secrets.superuser.username).toBe("tickstream");
    await expectLeastPrivilege(legacy!, secrets);

    // The next start finds everything in place and changes nothing.
    const again = await runNode(["-e", BRING_UP], legacy!.env);
    expect(again.code, again.output).toBe(0);
    expect(readSecrets(legacy!)).toEqual(secrets);
    await expectLeastPrivilege(legacy!, secrets);
  });
});
