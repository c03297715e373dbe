import pg from "pg";

import { migrateDatabase } from "@/lib/db/migrate";
import type { TopicNames } from "@/lib/events/topics";
import { createAdmin, createKafkaClient, type KafkaClient } from "@/lib/kafka/client";
import { ensureTopics, type TopicSpec } from "@/lib/kafka/topics";
import { createLogger } from "@/lib/log";

/** The pipeline's three topics: ticks and KPIs keyed by symbol over `partitions`, the DLQ on one. */
export function pipelineTopicSpecs(topics: TopicNames, partitions: number): TopicSpec[] {
  return [
    { topic: topics.ticks, numPartitions: partitions },
    { topic: topics.kpis, numPartitions: partitions },
    { topic: topics.ticksDlq, numPartitions: 1 },
  ];
}

/** Creates the pipeline's topics (for a test run or a benchmark under its own names). */
export async function createPipelineTopics(
  brokers: string[],
  topics: TopicNames,
  partitions = 3,
): Promise<void> {
  const admin = createAdmin(
    createKafkaClient({ brokers, clientId: "tickstream-scratch", logger: createLogger("scratch", "silent") }),
  );
  await admin.connect();
  try {
    await ensureTopics(admin, pipelineTopicSpecs(topics, partitions));
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics a test run or benchmark made (best effort: leftovers only cost disk). */
export async function deleteTopics(kafka: KafkaClient, topics: string[]): Promise<void> {
  const admin = createAdmin(kafka);
  await admin.connect();
  // Best effort (see above): a topic already gone or a broker that refuses is not worth failing a run for.
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/**
 * A fresh, migrated database `name` on the server of `databaseUrl` (dropped first if it exists, e.g.
 * left by an interrupted run). Returns its URL; `dropScratchDatabase` removes it.
 */
export async function createScratchDatabase(
  databaseUrl: string,
  name: string,
  biPassword?: string,
): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString(), { biPassword });
  return url.toString();
}

export async function dropScratchDatabase(databaseUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } finally {
    await admin.end();
  }
}
