import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";
import type { TestProject } from "vitest/node";

import { getEnv } from "@/lib/env";
import { getMigrateOptions, migrateDatabase } from "@/lib/db/migrate";
import type { KafkaConnection } from "@/lib/kafka/connection";
import type { KafkaCredentials } from "@/scripts/stack/kafka-credentials";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";

/**
 * The template is named after the migrations it holds: drizzle's migrator skips a migration older than
 * the newest one applied, so checkouts with different migrations (branches, worktrees) sharing one
 * template would each miss the other's. Same migrations, same template.
 */
export const TEMPLATE_DATABASE = `tickstream_test_template_${createHash("sha256")
  .update(readFileSync(path.resolve("drizzle/meta/_journal.json")))
  .digest("hex")
  .slice(0, 12)}`;

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    /** A superuser of the private cluster (or the configured connection), to the `postgres` database. */
    adminDatabaseUrl: string;
    /** The runtime role of the private cluster (DML only), which the product code under test uses; null: the admin. */
    runtimeDatabaseUser: { username: string; password: string } | null;
    /** The BI role's password: the private cluster's generated one, or BI_READONLY_PASSWORD. */
    biPassword: string | null;
    templateDatabase: string;
    kafkaBrokers: string;
    /** The admin's connection: the broker's super user when it has users. */
    kafkaAdmin: KafkaConnection;
    /** The users each process connects as (null: the configured connection for everything). */
    kafkaCredentials: KafkaCredentials | null;
  }
}

/**
 * Integration tests run against the real PostgreSQL and Kafka: reused when reachable at DATABASE_URL /
 * KAFKA_BROKERS (e.g. while `npm start` runs), otherwise started the way `npm start` starts them. A
 * template database is migrated once per run; every test file clones its own database from it.
 */
export default async function setup(project: TestProject): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  const { access } = await ensureProductPostgres(env);
  const kafka = await ensureKafka(env);
  const biPassword = access.biPassword ?? env.BI_READONLY_PASSWORD ?? null;

  const admin = new URL(access.adminUrl);
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    // Drop test databases that interrupted runs left behind (named tst_<epoch seconds>_…; those younger
    // than 3 hours may belong to a run in progress), then rebuild the template from the migrations.
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'tst\\_%'",
    );
    const cutoff = Date.now() / 1000 - 3 * 3600;
    for (const { datname } of rows) {
      const created = Number(datname.split("_")[1]);
      if (!Number.isFinite(created) || created < cutoff)
        await client.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
    }
    // The template is shared by concurrent runs: rebuild it under a lock, and only when it is missing or
    // older than the migrations.
    await client.query("select pg_advisory_lock(7245311002)");
    try {
      const exists = await client.query("select 1 from pg_database where datname = $1", [TEMPLATE_DATABASE]);
      if (exists.rowCount === 0)
        await client.query(`create database ${pg.escapeIdentifier(TEMPLATE_DATABASE)}`);
    } finally {
      await client.query("select pg_advisory_unlock(7245311002)");
    }
  } finally {
    await client.end();
  }
  const templateUrl = new URL(access.adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await migrateDatabase(templateUrl.toString(), {
    ...getMigrateOptions(env),
    biPassword: biPassword ?? undefined,
  });

  project.provide("adminDatabaseUrl", admin.toString());
  project.provide("biPassword", biPassword);
  project.provide("runtimeDatabaseUser", access.secrets?.app ?? null);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  project.provide("kafkaBrokers", env.KAFKA_BROKERS);
  project.provide("kafkaAdmin", kafka.admin);
  project.provide("kafkaCredentials", kafka.credentials);
}
