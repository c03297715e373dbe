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
};

/** The migrate options that come from configuration: the BI role's password and limits. */
export function getMigrateOptions(
  env: Pick<Env, "BI_READONLY_PASSWORD" | "BI_STATEMENT_LIMIT_SECONDS" | "BI_MAX_CONNECTIONS">,
): MigrateOptions {
  return {
    biPassword: env.BI_READONLY_PASSWORD,
    biStatementLimitSeconds: env.BI_STATEMENT_LIMIT_SECONDS,
    biMaxConnections: env.BI_MAX_CONNECTIONS,
  };
}

/** Applies the SQL migrations in drizzle/ (those not applied yet), under an advisory lock. */
export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<void> {
  const db = createDb(url, { max: 1, applicationName: "tickstream-migrate" });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migrate(db, { migrationsFolder: options.migrationsFolder ?? path.resolve("drizzle") });
      await applyDatabaseGrants(db);
      await applyBiRoleLimits(db, options);
      if (options.biPassword) {
        // ALTER ROLE takes no bind parameters: the password goes in as an escaped literal.
        await db.execute(
          sql.raw(`alter role tickstream_bi with login password ${pg.escapeLiteral(options.biPassword)}`),
        );
      }
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
 */
export async function applyDatabaseGrants(db: DbOrTx): Promise<void> {
  await db.execute(
    sql.raw(`do $$ begin
      execute format('grant connect on database %I to tickstream_bi', current_database());
      execute format('revoke temporary on database %I from public', current_database());
      begin
        revoke execute on function pg_catalog.pg_notify(text, text) from public;
        execute format('grant execute on function pg_catalog.pg_notify(text, text) to %I', current_user);
      exception when insufficient_privilege then
        raise notice 'pg_notify stays executable by PUBLIC (not a superuser)';
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
