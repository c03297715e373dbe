import { getEnv, parseEnv, type Env } from "@/lib/env";
import type { TopicState } from "@/lib/kafka/topics";
import { getMigrateOptions, getMigrationUrl, migrateDatabase } from "@/lib/db/migrate";

import { ensureKafka, stopLocalKafka, type KafkaHandle } from "./kafka";
import { stopPrivatePostgres, type PostgresHandle } from "./postgres";
import { ensureProductPostgres, type PostgresAccess } from "./postgres-roles";
import { say } from "./proc";
import { createPipelineTopics, getProcessGroups, pipelineTopicSpecs } from "./scratch";

export type Infra = {
  postgres: PostgresHandle;
  /** The database settings of the product's processes (the private cluster's roles), to pass on. */
  database: PostgresAccess;
  kafka: KafkaHandle;
  topics: TopicState[];
};

/** The topics of the pipeline as configured (market.ticks is keyed by symbol). */
export function topicSpecs(env: Env) {
  return pipelineTopicSpecs(getTopicNames(env), env.TICKS_PARTITIONS);
}

function getTopicNames(env: Env) {
  return { ticks: env.TOPIC_TICKS, kpis: env.TOPIC_KPIS, ticksDlq: env.TOPIC_TICKS_DLQ };
}

/** Makes .data private, starts (or reuses) PostgreSQL and Kafka, creates the topics and ACLs and applies the migrations. */
export async function bringUpInfra(env: Env = getEnv()): Promise<Infra> {
  // .data is made private first, by ensureProductPostgres.
  const { handle: postgres, access: database } = await ensureProductPostgres(env);
  let kafkaStartedHere = false;
  try {
    const kafka = await ensureKafka(env);
    kafkaStartedHere = kafka.startedHere;
    const topics = await createPipelineTopics(kafka.admin, getTopicNames(env), env.TICKS_PARTITIONS, {
      credentials: kafka.credentials,
      groups: getProcessGroups(env.STREAM_GROUP_ID),
    });
    say(
      `Kafka topics: ${topics.map((t) => `${t.topic} (${t.partitions} partition${t.partitions === 1 ? "" : "s"})`).join(", ")}` +
        (kafka.credentials ? "; ACLs for the ingest, stream and web users" : ""),
    );
    await migrateProductDatabase(database);
    say("PostgreSQL: migrations applied");
    return { postgres, database, kafka, topics };
  } catch (error) {
    // Stop what this call started, and only that: a server it merely connected to keeps running.
    await bringDownInfra({ kafka: kafkaStartedHere, postgres: postgres.startedHere });
    throw error;
  }
}

/**
 * Applies the migrations as the owner and grants the runtime role its DML. The private cluster's roles
 * replace the configured DATABASE_URL (which has no password there).
 */
export async function migrateProductDatabase(database: PostgresAccess): Promise<void> {
  const productEnv = parseEnv({ ...process.env, ...database.migrationEnv });
  await migrateDatabase(getMigrationUrl(productEnv), getMigrateOptions(productEnv));
}

/** Stops what this checkout runs itself: the local broker and the private PostgreSQL cluster. */
export async function bringDownInfra(
  which: { kafka: boolean; postgres: boolean } = { kafka: true, postgres: true },
): Promise<void> {
  if (which.kafka && (await stopLocalKafka())) say("Kafka: local broker stopped");
  if (which.postgres && stopPrivatePostgres()) say("PostgreSQL: private cluster stopped");
}
