import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";

import pg from "pg";

import { getEnv, getKafkaBrokers } from "@/lib/env";
import { migrateDatabase } from "@/lib/db/migrate";
import { createAdmin, createKafkaClient } from "@/lib/kafka/client";
import { ensureTopics } from "@/lib/kafka/topics";
import { createLogger } from "@/lib/log";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { ensurePostgres } from "@/scripts/stack/postgres";

import { spawnProductProcess, writeE2eState, type E2eState } from "./stack";

const E2E_DATABASE = "tickstream_e2e";
export const E2E_SYMBOLS = ["AAPL", "MSFT", "SPY"];

/**
 * Starts what the browser tests run against: PostgreSQL and Kafka (reused or started), a fresh
 * database, topics unique to this run, and the stream and ingest workers (replay at 60x for three
 * symbols). The web server is started per test file by the `app` fixture.
 */
export default async function globalSetup(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  if (!existsSync("dist/server.js") || !existsSync(".next/BUILD_ID")) {
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  await ensurePostgres(env.DATABASE_URL);
  await ensureKafka(env.KAFKA_BROKERS);

  const admin = new URL(env.DATABASE_URL);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists ${E2E_DATABASE} with (force)`);
  await client.query(`create database ${E2E_DATABASE}`);
  await client.end();
  const databaseUrl = new URL(env.DATABASE_URL);
  databaseUrl.pathname = `/${E2E_DATABASE}`;
  await migrateDatabase(databaseUrl.toString(), { biPassword: env.BI_READONLY_PASSWORD });

  const run = randomUUID().slice(0, 8);
  const topics = { ticks: `e2e.${run}.market.ticks`, kpis: `e2e.${run}.market.kpis`, ticksDlq: `e2e.${run}.market.ticks.dlq` };
  const kafkaAdmin = createAdmin(createKafkaClient({ brokers: getKafkaBrokers(env), clientId: "e2e-setup", logger: createLogger("e2e", "silent") }));
  await kafkaAdmin.connect();
  await ensureTopics(kafkaAdmin, [
    { topic: topics.ticks, numPartitions: 3 },
    { topic: topics.kpis, numPartitions: 3 },
    { topic: topics.ticksDlq, numPartitions: 1 },
  ]);
  await kafkaAdmin.disconnect();

  const adminPassword = `e2e-${randomUUID()}`;
  const productEnv: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "info",
    DATABASE_URL: databaseUrl.toString(),
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    TOPIC_TICKS: topics.ticks,
    TOPIC_KPIS: topics.kpis,
    TOPIC_TICKS_DLQ: topics.ticksDlq,
    STREAM_GROUP_ID: `e2e-${run}-stream`,
    INGEST_SOURCE: "replay",
    REPLAY_SPEED: "60",
    DEFAULT_SYMBOLS: E2E_SYMBOLS.join(","),
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: adminPassword,
    SESSION_SECRET: randomUUID() + randomUUID(),
    HEARTBEAT_SECONDS: "2",
  };
  const workerPids = [
    spawnProductProcess("stream", "dist/workers/stream.js", productEnv),
    spawnProductProcess("ingest", "dist/workers/ingest.js", productEnv),
  ];
  const state: E2eState = { databaseUrl: databaseUrl.toString(), brokers: env.KAFKA_BROKERS, topics, adminUsername: "admin", adminPassword, env: productEnv, workerPids };
  writeE2eState(state);
}
