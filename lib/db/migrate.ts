import path from "node:path";

import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

import { BI_ROLE } from "@/lib/db/bi-watchdog";
import { closeDb, createDb, type DbOrTx } from "@/lib/db/client";
import type { Env } from "@/lib/env";

/** Arbitrary constant: serialises concurrent migrators (several processes starting at once). */
const MIGRATION_LOCK_KEY = 7_245_311_001;

export type MigrateOptions = {
  migrationsFolder?: string;
  /** Password of the read-only BI role (`tickstream_bi`), set from configuration after migrating. */
  biPassword?: string;
  /** The BI role's statement_timeout (the ingest worker's watchdog enforces it too). */
  biStatementLimitSeconds?: number;
  /** The BI role's CONNECTION LIMIT. */
  biMaxConnections?: number;
  /**
   * The role the web server and workers connect as, when it is not the migrating owner: it gets DML on
   * the product's tables, now and for the tables of later migrations (applyDatabaseGrants).
   */
  runtimeRole?: string;
};

/** The migrate options that come from configuration: the BI role's password and limits. */
export function getMigrateOptions(
  env: Pick<
    Env,
    | "BI_READONLY_PASSWORD"
    | "BI_STATEMENT_LIMIT_SECONDS"
    | "BI_MAX_CONNECTIONS"
    | "DATABASE_URL"
    | "DATABASE_OWNER_URL"
  >,
): MigrateOptions {
  return {
    biPassword: env.BI_READONLY_PASSWORD,
    biStatementLimitSeconds: env.BI_STATEMENT_LIMIT_SECONDS,
    biMaxConnections: env.BI_MAX_CONNECTIONS,
    runtimeRole: getRuntimeRole(env),
  };
}

/** The URL migrations run with: the owner's (DATABASE_OWNER_URL), else the one role of DATABASE_URL. */
export function getMigrationUrl(env: Pick<Env, "DATABASE_URL" | "DATABASE_OWNER_URL">): string {
  return env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
}

/** The runtime role of DATABASE_URL when migrations run as another role (DATABASE_OWNER_URL). */
export function getRuntimeRole(env: Pick<Env, "DATABASE_URL" | "DATABASE_OWNER_URL">): string | undefined {
  if (!env.DATABASE_OWNER_URL) return undefined;
  const runtime = decodeURIComponent(new URL(env.DATABASE_URL).username);
  const owner = decodeURIComponent(new URL(env.DATABASE_OWNER_URL).username);
  return runtime && runtime !== owner ? runtime : undefined;
}

/** Applies the SQL migrations in drizzle/ (those not applied yet), under an advisory lock. */
export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<void> {
  const db = createDb(url, { max: 1, applicationName: "tickstream-migrate" });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migrate(db, { migrationsFolder: options.migrationsFolder ?? path.resolve("drizzle") });
      await applyDatabaseGrants(db, options.runtimeRole);
      await applyBiRoleLimits(db, options);
      if (options.biPassword) await setBiPassword(db, options.biPassword);
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await closeDb(db);
  }
}

/**
 * Database-level privileges of the read-only BI role: it may connect, and nobody but the owner may
 * create temporary tables. Kept out of the migrations because CREATE DATABASE … TEMPLATE does not copy
 * them; idempotent. Where the migrating user may (superuser: the private cluster), pg_notify is also
 * taken from PUBLIC, so that the BI role cannot send fake `symbols_changed` notifications.
 *
 * With a `runtimeRole` (the web server's and workers' role, not the migrating owner), that role gets
 * what they use and nothing more: CONNECT, DML on the tables of `public`, its sequences and functions,
 * the same on the tables later migrations create (default privileges of the migrating owner), pg_notify
 * (the symbols trigger runs as the writer), and membership of the BI role so that the BI watchdog may
 * cancel its statements. Here rather than in drizzle/, because migration SQL cannot name a configured role.
 */
export async function applyDatabaseGrants(db: DbOrTx, runtimeRole?: string): Promise<void> {
  const runtime = runtimeRole ? pg.escapeLiteral(runtimeRole) : "null";
  await db.execute(
    sql.raw(`do $$
    declare
      runtime text := ${runtime};
    begin
      execute format('grant connect on database %I to tickstream_bi', current_database());
      execute format('revoke temporary on database %I from public', current_database());
      begin
        revoke execute on function pg_catalog.pg_notify(text, text) from public;
        execute format('grant execute on function pg_catalog.pg_notify(text, text) to %I', current_user);
        if runtime is not null then
          execute format('grant execute on function pg_catalog.pg_notify(text, text) to %I', runtime);
        end if;
      exception when insufficient_privilege then
        raise notice 'pg_notify stays executable by PUBLIC (not a superuser)';
      end;
      if runtime is null then
        return;
      end if;
      execute format('grant connect on database %I to %I', current_database(), runtime);
      execute format('grant usage on schema public to %I', runtime);
      execute format('grant select, insert, update, delete on all tables in schema public to %I', runtime);
      execute format('grant usage, select on all sequences in schema public to %I', runtime);
      execute format('grant execute on all functions in schema public to %I', runtime);
      execute format('alter default privileges in schema public grant select, insert, update, delete on tables to %I', runtime);
      execute format('alter default privileges in schema public grant usage, select on sequences to %I', runtime);
      begin
        execute format('grant tickstream_bi to %I', runtime);
      exception when insufficient_privilege then
        raise notice 'the runtime role is not a member of tickstream_bi: the BI watchdog cannot cancel';
      end;
    end $$`),
  );
}

/**
 * The BI role's limits, which are role attributes (cluster-wide, so they need CREATEROLE): its
 * statement_timeout and its connection limit. A migrating user without the privilege leaves them as
 * they are and says so; the watchdog still enforces the statement limit.
 */
async function applyBiRoleLimits(db: DbOrTx, options: MigrateOptions): Promise<void> {
  const statements: string[] = [];
  if (options.biStatementLimitSeconds !== undefined)
    statements.push(
      `alter role ${BI_ROLE} set statement_timeout = ${pg.escapeLiteral(`${options.biStatementLimitSeconds}s`)}`,
    );
  if (options.biMaxConnections !== undefined)
    statements.push(`alter role ${BI_ROLE} connection limit ${Math.trunc(options.biMaxConnections)}`);
  if (statements.length === 0) return;
  await db.execute(
    sql.raw(`do $$ begin
      ${statements.map((s) => `execute ${pg.escapeLiteral(s)};`).join("\n      ")}
    exception when insufficient_privilege then
      raise notice 'the BI role''s limits are unchanged (the migrating user lacks CREATEROLE)';
    end $$`),
  );
}

/**
 * Sets the BI role's password. ALTER ROLE takes no bind parameters: the password goes in as an escaped
 * literal. An owner without CREATEROLE (docs/sql/create-roles.sql) leaves it as the role was created.
 */
async function setBiPassword(db: DbOrTx, password: string): Promise<void> {
  const statement = `alter role ${BI_ROLE} with login password ${pg.escapeLiteral(password)}`;
  await db.execute(
    sql.raw(`do $$ begin
      execute ${pg.escapeLiteral(statement)};
    exception when insufficient_privilege then
      raise notice 'the BI role''s password is unchanged (the migrating user lacks CREATEROLE)';
    end $$`),
  );
}
