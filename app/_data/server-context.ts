import "server-only";

import { getEnv } from "@/lib/env";
import { createDb, type Db } from "@/lib/db/client";
import { getKafkaConnection, type KafkaConnection } from "@/lib/kafka/connection";
import { createLogger } from "@/lib/log";

const KEY = Symbol.for("tickstream.webDb");
const logger = createLogger("web-db");

/** The web process's database handle (one pool per process, kept across dev reloads). */
export function getDb(): Db {
  const store = globalThis as Record<symbol, Db | undefined>;
  store[KEY] ??= createDb(getEnv().DATABASE_URL, {
    max: getEnv().DATABASE_POOL_MAX,
    applicationName: "tickstream-web",
    onPoolError: (error) => logger.warn({ err: error.message }, "idle database connection failed"),
  });
  return store[KEY];
}

export function getTopics() {
  const env = getEnv();
  return { ticks: env.TOPIC_TICKS, kpis: env.TOPIC_KPIS, ticksDlq: env.TOPIC_TICKS_DLQ };
}

let kafkaConnection: KafkaConnection | undefined;

/** The web process's Kafka connection (its own user; the CA file is read once). */
export function getKafkaConnectionOnce(): KafkaConnection {
  kafkaConnection ??= getKafkaConnection(getEnv());
  return kafkaConnection;
}
