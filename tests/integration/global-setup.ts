import pg from "pg";
import type { TestProject } from "vitest/node";

import { getEnv } from "@/lib/env";
import { migrateDatabase } from "@/lib/db/migrate";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { ensurePostgres } from "@/scripts/stack/postgres";

// TEST_TEMPLATE_DATABASE gives a checkout whose migrations differ (a branch) a template of its own, so
// that it never marks another checkout's migrations as applied in the shared one.
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? "tickstream_test_template";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    kafkaBrokers: string;
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
  await ensurePostgres(env.DATABASE_URL);
  await ensureKafka(env.KAFKA_BROKERS);

  const admin = new URL(env.DATABASE_URL);
  admin.pathname = "/postgres";
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
  const templateUrl = new URL(env.DATABASE_URL);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await migrateDatabase(templateUrl.toString(), { biPassword: env.BI_READONLY_PASSWORD });

  project.provide("adminDatabaseUrl", admin.toString());
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  project.provide("kafkaBrokers", env.KAFKA_BROKERS);
}
