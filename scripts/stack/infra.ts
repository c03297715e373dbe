import { getEnv, type Env } from "@/lib/env";
import type { TopicState } from "@/lib/kafka/topics";
import { getMigrateOptions, getMigrationUrl, migrateDatabase } from "@/lib/db/migrate";

import { ensureKafka, stopLocalKafka, type KafkaHandle } from "./kafka";
import { ensurePostgres, stopPrivatePostgres, type PostgresHandle } from "./postgres";
import { securePrivateDataDir } from "./private-files";
import { say } from "./proc";
import { createPipelineTopics, getProcessGroups, pipelineTopicSpecs } from "./scratch";

export type Infra = { postgres: PostgresHandle; kafka: KafkaHandle; topics: TopicState[] };

/** The topics of the pipeline as configured (market.ticks is keyed by symbol). */
export function topicSpecs(env: Env) {
  return pipelineTopicSpecs(getTopicNames(env), env.TICKS_PARTITIONS);
}

function getTopicNames(env: Env) {
  return { ticks: env.TOPIC_TICKS, kpis: env.TOPIC_KPIS, ticksDlq: env.TOPIC_TICKS_DLQ };
}

/** Makes .data private, starts (or reuses) PostgreSQL and Kafka, creates the topics and ACLs and applies the migrations. */
export async function bringUpInfra(env: Env = getEnv()): Promise<Infra> {
  // First: where the private cluster may live depends on who can traverse .data.
  securePrivateDataDir();
  const postgres = await ensurePostgres(env.DATABASE_URL);
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
    await migrateDatabase(getMigrationUrl(env), getMigrateOptions(env));
    say("PostgreSQL: migrations applied");
    return { postgres, kafka, topics };
  } catch (error) {
    // Stop what this call started, and only that: a server it merely connected to keeps running.
    await bringDownInfra({ kafka: kafkaStartedHere, postgres: postgres.startedHere });
    throw error;
  }
}

/** Stops what this checkout runs itself: the local broker and the private PostgreSQL cluster. */
export async function bringDownInfra(
  which: { kafka: boolean; postgres: boolean } = { kafka: true, postgres: true },
): Promise<void> {
  if (which.kafka && (await stopLocalKafka())) say("Kafka: local broker stopped");
  if (which.postgres && stopPrivatePostgres()) say("PostgreSQL: private cluster stopped");
}
