import { readFileSync } from "node:fs";

import { getKafkaBrokers, InvalidEnvError, type Env } from "@/lib/env";

export type KafkaSaslMechanism = "scram-sha-256" | "scram-sha-512" | "plain";
export type KafkaSasl = { mechanism: KafkaSaslMechanism; username: string; password: string };
/** TLS to the brokers; `ca` (PEM) replaces the system's trusted CAs, as Node's tls does. */
export type KafkaTls = { ca?: string };
/**
 * Where the brokers are and how this process proves who it is: every Kafka client is made from one.
 * `sasl` and `ssl` are required (null: anonymous, plaintext) so that no call site can forget them.
 */
export type KafkaConnection = { brokers: string[]; sasl: KafkaSasl | null; ssl: KafkaTls | null };

export type KafkaConnectionEnv = Pick<
  Env,
  | "KAFKA_BROKERS"
  | "KAFKA_SASL_MECHANISM"
  | "KAFKA_USERNAME"
  | "KAFKA_PASSWORD"
  | "KAFKA_SSL"
  | "KAFKA_SSL_CA_FILE"
>;

function invalid(message: string): InvalidEnvError {
  return new InvalidEnvError(
    `Invalid Tickstream configuration:\n  ${message}; fix it in .env or the environment, see .env.example`,
  );
}

/**
 * The connection of this process from its environment. The variables depend on each other (a mechanism
 * needs a user and a password, a CA file needs TLS), which one variable's schema cannot say: a half
 * configuration stops the process here instead of reaching the broker as an anonymous client.
 */
export function getKafkaConnection(env: KafkaConnectionEnv): KafkaConnection {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = env;
  if (!mechanism && (username !== undefined || password !== undefined))
    throw invalid(
      "KAFKA_USERNAME/KAFKA_PASSWORD: set KAFKA_SASL_MECHANISM too (scram-sha-512, scram-sha-256 or plain)",
    );
  if (mechanism && (username === undefined || password === undefined))
    throw invalid(`KAFKA_SASL_MECHANISM=${mechanism}: KAFKA_USERNAME and KAFKA_PASSWORD are both required`);
  if (env.KAFKA_SSL_CA_FILE && !env.KAFKA_SSL)
    throw invalid("KAFKA_SSL_CA_FILE: set KAFKA_SSL=true too (the CA file is only used over TLS)");
  let ca: string | undefined;
  if (env.KAFKA_SSL_CA_FILE) {
    try {
      ca = readFileSync(env.KAFKA_SSL_CA_FILE, "utf8");
    } catch (error) {
      throw invalid(`KAFKA_SSL_CA_FILE: cannot read ${env.KAFKA_SSL_CA_FILE} (${(error as Error).message})`);
    }
  }
  return {
    brokers: getKafkaBrokers(env),
    sasl: mechanism && username && password ? { mechanism, username, password } : null,
    ssl: env.KAFKA_SSL ? (ca ? { ca } : {}) : null,
  };
}

/** The same connection as another user (the stack's admin, a test acting as one process). */
export function withKafkaUser(connection: KafkaConnection, sasl: KafkaSasl | null): KafkaConnection {
  return { ...connection, sasl };
}
