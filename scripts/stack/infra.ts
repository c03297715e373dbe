import { getEnv, getKafkaBrokers, type Env } from "@/lib/env";
import { createKafkaClient, createAdmin } from "@/lib/kafka/client";
import { ensureTopics, type TopicState } from "@/lib/kafka/topics";
import { migrateDatabase } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";

import { ensureKafka, stopLocalKafka, type KafkaHandle } from "./kafka";
import { ensurePostgres, stopPrivatePostgres, type PostgresHandle } from "./postgres";
import { say } from "./proc";
import { pipelineTopicSpecs } from "./scratch";

export type Infra = { postgres: PostgresHandle; kafka: KafkaHandle; topics: TopicState[] };

/** The topics of the pipeline as configured (market.ticks is keyed by symbol). */
export function topicSpecs(env: Env) {
  return pipelineTopicSpecs(
    { ticks: env.TOPIC_TICKS, kpis: env.TOPIC_KPIS, ticksDlq: env.TOPIC_TICKS_DLQ },
    env.TICKS_PARTITIONS,
  );
}

/** Starts (or reuses) PostgreSQL and Kafka, creates the topics and applies the migrations. */
export async function bringUpInfra(env: Env = getEnv()): Promise<Infra> {
  const postgres = await ensurePostgres(env.DATABASE_URL);
  let kafka: KafkaHandle = { startedHere: false };
  try {
    kafka = await ensureKafka(env.KAFKA_BROKERS);
    const topics = await createTopics(env);
    say(
      `Kafka topics: ${topics.map((t) => `${t.topic} (${t.partitions} partition${t.partitions === 1 ? "" : "s"})`).join(", ")}`,
    );
    await migrateDatabase(env.DATABASE_URL, { biPassword: env.BI_READONLY_PASSWORD });
    say("PostgreSQL: migrations applied");
    return { postgres, kafka, topics };
  } catch (error) {
    // Stop what this call started, and only that: a server it merely connected to keeps running.
    await bringDownInfra({ kafka: kafka.startedHere, postgres: postgres.startedHere });
    throw error;
  }
}

export async function createTopics(env: Env): Promise<TopicState[]> {
  const client = createKafkaClient({
    brokers: getKafkaBrokers(env),
    clientId: "tickstream-stack",
    logger: createLogger("stack", "error"),
    retries: 3,
  });
  const admin = createAdmin(client);
  await admin.connect();
  try {
    return await ensureTopics(admin, topicSpecs(env));
  } finally {
    await admin.disconnect();
  }
}

/** Stops what this checkout runs itself: the local broker and the private PostgreSQL cluster. */
export async function bringDownInfra(
  which: { kafka: boolean; postgres: boolean } = { kafka: true, postgres: true },
): Promise<void> {
  if (which.kafka && (await stopLocalKafka())) say("Kafka: local broker stopped");
  if (which.postgres && stopPrivatePostgres()) say("PostgreSQL: private cluster stopped");
}
