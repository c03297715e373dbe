import path from "node:path";

import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

import { closeDb, createDb, type DbOrTx } from "@/lib/db/client";

/** Arbitrary constant: serialises concurrent migrators (several processes starting at once). */
const MIGRATION_LOCK_KEY = 7_245_311_001;

export type MigrateOptions = {
  migrationsFolder?: string;
  /** Password of the read-only BI role (`tickstream_bi`), set from configuration after migrating. */
  biPassword?: string;
};

/** Applies the SQL migrations in drizzle/ (those not applied yet), under an advisory lock. */
export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<void> {
  const db = createDb(url, { max: 1, applicationName: "tickstream-migrate" });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migrate(db, { migrationsFolder: options.migrationsFolder ?? path.resolve("drizzle") });
      await applyDatabaseGrants(db);
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
