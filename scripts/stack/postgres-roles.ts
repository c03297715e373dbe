import { existsSync } from "node:fs";
import path from "node:path";

import pg from "pg";

import type { Env } from "@/lib/env";

import {
  ClusterRefusedError,
  ensurePostgres,
  getClusterDir,
  isClusterOutsideDataDir,
  parseDatabaseUrl,
  setAsideCluster,
  type PostgresHandle,
} from "./postgres";
import { securePrivateDataDir } from "./private-files";
import {
  generatePostgresSecrets,
  POSTGRES_SECRETS_FILE,
  readPostgresSecrets,
  writePostgresSecrets,
  type PostgresSecrets,
} from "./postgres-secrets";
import { isLocalHost, say } from "./proc";

/** Arbitrary constant: serialises concurrent bootstraps of the roles (advisory lock in `postgres`). */
const BOOTSTRAP_LOCK_KEY = 7_245_311_003;

/** The credentials every private cluster had before it had roles (README, "Database roles"). */
const LEGACY_SUPERUSER = { username: "tickstream", password: "tickstream" };

/** How the stack, the tests and the product reach PostgreSQL. */
export type PostgresAccess = {
  /** A superuser (private cluster) or the configured connection, to the `postgres` database. */
  adminUrl: string;
  /**
   * What the web server and workers get (the runtime role's DATABASE_URL and DATABASE_PRIVILEGE_CHECK):
   * never the owner's or the BI role's password. Empty: the configured settings.
   */
  processEnv: Record<string, string>;
  /** What the migration gets: the runtime role's URL, the owner's and the BI role's password. */
  migrationEnv: Record<string, string>;
  /** The BI role's password, when the stack generated it. */
  biPassword: string | null;
  /** The private cluster's passwords, when this checkout runs it. */
  secrets: PostgresSecrets | null;
};

export type ProductPostgres = { handle: PostgresHandle; access: PostgresAccess };

function withCredentials(
  url: string,
  user: { username: string; password: string },
  database?: string,
): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user.username);
  u.password = encodeURIComponent(user.password);
  if (database !== undefined) u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Whether the stack runs the database with its own roles: DATABASE_URL on this machine without a
 * password (the default) and no owner configured. A URL with a password, a DATABASE_OWNER_URL or a
 * remote host is a server the user brings, used as configured.
 */
export function isManagedDatabase(env: Pick<Env, "DATABASE_URL" | "DATABASE_OWNER_URL">): boolean {
  const target = parseDatabaseUrl(env.DATABASE_URL);
  return !target.password && !env.DATABASE_OWNER_URL && isLocalHost(target.host);
}

/**
 * Makes the product's database usable. For a server the user brings: as ensurePostgres does. For the
 * private cluster: creates it with a generated superuser password (or upgrades one made before the
 * roles existed), then makes the owner, runtime and BI roles and the database owned by the owner.
 */
export async function ensureProductPostgres(env: Env): Promise<ProductPostgres> {
  // First: where a private cluster may live depends on who can traverse .data (getClusterDir), and the
  // passwords written below would otherwise create .data 0700, out of the postgres user's reach. Here
  // rather than in bringUpInfra, which calls this first: the benchmarks come here without it.
  securePrivateDataDir();
  if (!isManagedDatabase(env)) {
    const configured = env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
    const handle = await ensurePostgres(configured);
    const admin = new URL(configured);
    admin.pathname = "/postgres";
    return {
      handle,
      access: {
        adminUrl: admin.toString(),
        processEnv: {},
        migrationEnv: {},
        biPassword: null,
        secrets: null,
      },
    };
  }
  const target = parseDatabaseUrl(env.DATABASE_URL);
  let secrets = readPostgresSecrets();
  let handle: PostgresHandle | undefined;
  if (!secrets) {
    const clusterDir = getClusterDir();
    if (existsSync(path.join(clusterDir, "PG_VERSION"))) {
      handle = await upgradeLegacyCluster(env.DATABASE_URL, target.user).catch((error: unknown) => {
        // Outside the data folder, a cluster without passwords here that refuses the legacy ones is an
        // earlier checkout's at this path (its folder and passwords deleted): a clone there must start.
        if (!(error instanceof ClusterRefusedError && error.wrongPasswordOfPrivateCluster)) throw error;
        if (!isClusterOutsideDataDir(clusterDir)) throw error;
        const aside = setAsideCluster(clusterDir);
        say(
          `PostgreSQL: the private cluster in ${clusterDir} belongs to an earlier checkout at this path (it refuses the old default credentials, and this checkout has no passwords for it in ${POSTGRES_SECRETS_FILE}); ` +
            `moved it to ${aside} (delete it when its data is not needed) and creating a new one`,
        );
        return undefined;
      });
      secrets = readPostgresSecrets();
    }
    if (!secrets) {
      secrets = generatePostgresSecrets("postgres", target.user);
      writePostgresSecrets(secrets);
      say(`PostgreSQL: generated the private cluster's passwords (${POSTGRES_SECRETS_FILE}, mode 0600)`);
    }
  }
  const adminUrl = withCredentials(env.DATABASE_URL, secrets.superuser, "postgres");
  handle ??= await ensurePostgres(adminUrl);
  await bootstrapProductRoles(adminUrl, secrets, target.database, env);
  const runtimeUrl = withCredentials(env.DATABASE_URL, secrets.app);
  const access: PostgresAccess = {
    adminUrl,
    // The stack made the roles, so a runtime role with too much or too little privilege is a bug.
    processEnv: { DATABASE_URL: runtimeUrl, DATABASE_PRIVILEGE_CHECK: "enforce" },
    migrationEnv: {
      DATABASE_URL: runtimeUrl,
      DATABASE_OWNER_URL: withCredentials(env.DATABASE_URL, secrets.owner),
      BI_READONLY_PASSWORD: secrets.bi.password,
    },
    biPassword: secrets.bi.password,
    secrets,
  };
  return { handle, access };
}

/**
 * A private cluster made before the roles existed has the superuser tickstream/tickstream and every
 * object owned by it: start it with those credentials, store new passwords, then change the
 * superuser's (the secrets are written first, so an interruption cannot lock the stack out).
 */
async function upgradeLegacyCluster(databaseUrl: string, runtimeRole: string): Promise<PostgresHandle> {
  say(
    `PostgreSQL: no passwords in ${POSTGRES_SECRETS_FILE} for the private cluster: trying those of a cluster made before separate roles (owner, runtime, BI), for upgrading the private cluster to them`,
  );
  const legacyUrl = withCredentials(databaseUrl, LEGACY_SUPERUSER, "postgres");
  const handle = await ensurePostgres(legacyUrl);
  const secrets = generatePostgresSecrets(LEGACY_SUPERUSER.username, runtimeRole);
  writePostgresSecrets(secrets);
  const client = new pg.Client({ connectionString: legacyUrl });
  await client.connect();
  try {
    await client.query(
      `alter role ${pg.escapeIdentifier(secrets.superuser.username)} password ${pg.escapeLiteral(secrets.superuser.password)}`,
    );
  } finally {
    await client.end();
  }
  say(
    `PostgreSQL: upgraded the private cluster to separate roles; new passwords in ${POSTGRES_SECRETS_FILE} (mode 0600); tickstream/tickstream no longer works`,
  );
  return handle;
}

/** Creates a login role or resets its attributes and password (idempotent). */
function upsertRoleSql(user: { username: string; password: string }, attributes: string): string {
  const name = pg.escapeLiteral(user.username);
  const spec = `${attributes} password ${pg.escapeLiteral(user.password)}`;
  return `do $$ begin
    if exists (select 1 from pg_roles where rolname = ${name}) then
      execute format('alter role %I ${spec.replace(/'/g, "''")}', ${name});
    else
      execute format('create role %I ${spec.replace(/'/g, "''")}', ${name});
    end if;
  end $$`;
}

/**
 * As the superuser: the owner, runtime and BI roles with their passwords and limits, the database
 * owned by the owner, and every object of the product's schemas handed to the owner (a cluster made
 * before the roles had them owned by the superuser; REASSIGN OWNED cannot move a bootstrap
 * superuser's objects, so they are moved one by one). Idempotent: runs on every start.
 */
export async function bootstrapProductRoles(
  adminUrl: string,
  secrets: PostgresSecrets,
  database: string,
  limits: Pick<Env, "BI_STATEMENT_LIMIT_SECONDS" | "BI_MAX_CONNECTIONS">,
): Promise<void> {
  const { owner, app, bi } = secrets;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // `npm start` and a test run may bootstrap at once; concurrent ALTER ROLEs can fail.
    await client.query(`select pg_advisory_lock(${BOOTSTRAP_LOCK_KEY})`);
    const roles = "nosuperuser nocreatedb nocreaterole noreplication nobypassrls";
    await client.query(upsertRoleSql(owner, `login ${roles}`));
    await client.query(upsertRoleSql(app, `login ${roles} inherit`));
    await client.query(
      upsertRoleSql(bi, `login ${roles} noinherit connection limit ${Math.trunc(limits.BI_MAX_CONNECTIONS)}`),
    );
    const biName = pg.escapeIdentifier(bi.username);
    await client.query(`alter role ${biName} set default_transaction_read_only = on`);
    await client.query(
      `alter role ${biName} set statement_timeout = ${pg.escapeLiteral(`${limits.BI_STATEMENT_LIMIT_SECONDS}s`)}`,
    );
    // The runtime role's membership lets the BI watchdog see and cancel the BI role's statements.
    await client.query(`grant ${biName} to ${pg.escapeIdentifier(owner.username)} with admin option`);
    await client.query(`grant ${biName} to ${pg.escapeIdentifier(app.username)}`);
    const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
    const db = pg.escapeIdentifier(database);
    if (exists.rowCount === 0)
      await client.query(`create database ${db} owner ${pg.escapeIdentifier(owner.username)}`);
    else await client.query(`alter database ${db} owner to ${pg.escapeIdentifier(owner.username)}`);
    await client.query(`revoke all on database ${db} from public`);
    await client.query(`grant connect on database ${db} to ${pg.escapeIdentifier(app.username)}, ${biName}`);
    await transferOwnership(withDatabase(adminUrl, database), owner.username, app.username, bi.username);
  } finally {
    // Ending the session releases the advisory lock.
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Hands every table, view, sequence, function and schema of public, bi and drizzle to `owner`, and
 * pg_notify to the owner and the runtime role only.
 */
async function transferOwnership(
  databaseUrl: string,
  owner: string,
  runtime: string,
  biRole: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`do $$
    declare
      target text := ${pg.escapeLiteral(owner)};
      item record;
    begin
      for item in select nspname from pg_namespace
                   where nspname in ('public', 'bi', 'drizzle') and nspowner <> target::regrole loop
        execute format('alter schema %I owner to %I', item.nspname, target);
      end loop;
      -- Tables first: their identity and serial sequences follow them.
      for item in select c.oid::regclass as name, c.relkind from pg_class c
                    join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname in ('public', 'bi', 'drizzle') and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
                     and c.relowner <> target::regrole
                     and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                                       and d.objid = c.oid and d.deptype in ('a', 'i'))
                   order by c.relkind = 'S' loop
        execute format('alter %s %s owner to %I',
          case item.relkind when 'v' then 'view' when 'm' then 'materialized view'
                            when 'f' then 'foreign table' when 'S' then 'sequence' else 'table' end,
          item.name, target);
      end loop;
      for item in select p.oid::regprocedure as name from pg_proc p
                    join pg_namespace n on n.oid = p.pronamespace
                   where n.nspname in ('public', 'bi', 'drizzle') and p.proowner <> target::regrole loop
        execute format('alter routine %s owner to %I', item.name, target);
      end loop;
    end $$`);
    // Tables the owner adds to bi later are readable by the BI role (0001 granted this for the
    // superuser that ran it; each bi migration also grants its views explicitly).
    // pg_notify belongs to the bootstrap superuser: only it can take it from PUBLIC (so that the BI
    // role cannot forge notifications) and give it to the roles whose writes fire the symbols trigger.
    await client.query("revoke execute on function pg_catalog.pg_notify(text, text) from public");
    await client.query(
      `grant execute on function pg_catalog.pg_notify(text, text) to ${[owner, runtime].map((r) => pg.escapeIdentifier(r)).join(", ")}`,
    );
    const bi = await client.query("select 1 from pg_namespace where nspname = 'bi'");
    if (bi.rowCount)
      await client.query(
        `alter default privileges for role ${pg.escapeIdentifier(owner)} in schema bi grant select on tables to ${pg.escapeIdentifier(biRole)}`,
      );
  } finally {
    await client.end();
  }
}
