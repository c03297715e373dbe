import { randomUUID } from "node:crypto";

import { closeDb, createDb } from "@/lib/db/client";
import { applyDatabaseGrants } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { getKafkaRoleEnv } from "@/scripts/stack/kafka-credentials";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";
import { createPipelineTopics, createScratchDatabase, getProcessGroups } from "@/scripts/stack/scratch";
import { ensureBuilt } from "@/scripts/stack/build";

import { spawnProductProcess, writeE2eState, type E2eState } from "./stack";

const E2E_DATABASE = "tickstream_e2e";
export const E2E_SYMBOLS = ["AAPL", "MSFT", "SPY"];

/**
 * Starts what the browser tests run against: PostgreSQL and Kafka (reused or started), a fresh
 * database, topics unique to this run, and the stream and ingest workers (the wall-clock replay of
 * three symbols, backfilled from yesterday). The web server is started per test file by the `app` fixture.
 */
export default async function globalSetup(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  ensureBuilt();
  const { access: database } = await ensureProductPostgres(env);
  const broker = await ensureKafka(env);
  const databaseUrl = await createScratchDatabase(
    database.adminUrl,
    E2E_DATABASE,
    database.biPassword ?? env.BI_READONLY_PASSWORD,
  );
  const runtimeUrl = await grantRuntimeRole(databaseUrl, database.secrets?.app ?? null);
  const run = randomUUID().slice(0, 8);
  const topics = {
    ticks: `e2e.${run}.market.ticks`,
    kpis: `e2e.${run}.market.kpis`,
    ticksDlq: `e2e.${run}.market.ticks.dlq`,
  };
  const streamGroupId = `e2e-${run}-stream`;
  await createPipelineTopics(broker.admin, topics, 3, {
    credentials: broker.credentials,
    groups: getProcessGroups(streamGroupId),
  });

  const adminPassword = `e2e-${randomUUID()}`;
  const productEnv: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "info",
    // The processes run as the private cluster's runtime role (DML only), as under `npm start`.
    DATABASE_URL: runtimeUrl,
    // Against a server of one's own without the roles (the URL's role is a superuser), only logged.
    DATABASE_PRIVILEGE_CHECK: runtimeUrl === databaseUrl ? "warn" : "enforce",
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    TOPIC_TICKS: topics.ticks,
    TOPIC_KPIS: topics.kpis,
    TOPIC_TICKS_DLQ: topics.ticksDlq,
    STREAM_GROUP_ID: streamGroupId,
    INGEST_SOURCE: "replay",
    REPLAY_BACKFILL_DAYS: "1",
    // The movers test fabricates windows ahead of the replay (which never runs ahead of the clock).
    FUTURE_BAR_TOLERANCE_SECONDS: "3600",
    DEFAULT_SYMBOLS: E2E_SYMBOLS.join(","),
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: adminPassword,
    SESSION_SECRET: randomUUID() + randomUUID(),
    HEARTBEAT_SECONDS: "2",
    // security-headers.spec.ts reaches the web server from 127.0.0.2 as "the reverse proxy".
    TRUSTED_PROXIES: "127.0.0.2",
    // No worker metrics endpoints: their default ports may be taken by an `npm start` on this machine.
    INGEST_METRICS_PORT: "0",
    STREAM_METRICS_PORT: "0",
  };
  // Each process connects as its own user; the fixtures produce test bars as the admin.
  const kafkaEnv = {
    ingest: getKafkaRoleEnv(broker.credentials, "ingest"),
    stream: getKafkaRoleEnv(broker.credentials, "stream"),
    web: getKafkaRoleEnv(broker.credentials, "web"),
  };
  const workerPids = [
    spawnProductProcess("stream", "dist/workers/stream.js", { ...productEnv, ...kafkaEnv.stream }),
    spawnProductProcess("ingest", "dist/workers/ingest.js", { ...productEnv, ...kafkaEnv.ingest }),
  ];
  const state: E2eState = {
    databaseUrl,
    brokers: env.KAFKA_BROKERS,
    topics,
    adminUsername: "admin",
    adminPassword,
    env: productEnv,
    kafkaEnv,
    kafkaAdmin: broker.admin,
    workerPids,
  };
  writeE2eState(state);
}

/**
 * Grants the runtime role DML on the scratch database (made by the admin) and returns its URL there;
 * without one (a configured DATABASE_URL), the admin's URL.
 */
async function grantRuntimeRole(
  adminUrl: string,
  runtime: { username: string; password: string } | null,
): Promise<string> {
  if (!runtime) return adminUrl;
  const admin = createDb(adminUrl, { max: 1 });
  try {
    await applyDatabaseGrants(admin, runtime.username);
  } finally {
    await closeDb(admin);
  }
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(runtime.username);
  url.password = encodeURIComponent(runtime.password);
  return url.toString();
}
