import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { parseJsonWith } from "@/lib/events/parse-json";
import type { PipelineRole } from "@/lib/kafka/acls";
import {
  getKafkaConnection,
  withKafkaUser,
  type KafkaConnection,
  type KafkaConnectionEnv,
} from "@/lib/kafka/connection";

import { StackError } from "./proc";

/** The users the stack scripts (admin) and each process connect as. */
export type KafkaRole = "admin" | PipelineRole;

const userSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/**
 * One file of Kafka users: the local broker's (.data/kafka/credentials.json, generated when its storage
 * is formatted) or an external broker's (KAFKA_CREDENTIALS_FILE). `controller` exists only in the local
 * broker's file: the PLAIN user of its internal controller listener.
 */
export const kafkaCredentialsSchema = z.object({
  mechanism: z.enum(["scram-sha-256", "scram-sha-512"]),
  users: z.object({ admin: userSchema, ingest: userSchema, stream: userSchema, web: userSchema }),
  controller: userSchema.optional(),
});
export type KafkaCredentials = z.infer<typeof kafkaCredentialsSchema>;

export function readKafkaCredentials(file: string): KafkaCredentials | null {
  if (!existsSync(file)) return null;
  const parsed = parseJsonWith(kafkaCredentialsSchema, readFileSync(file, "utf8"));
  if (!parsed.ok) throw new StackError(`${file} is not a valid Kafka credentials file: ${parsed.reason}`);
  return parsed.data;
}

/** Writes the file readable by its owner only, in a folder only its owner can enter. */
export function writeKafkaCredentials(file: string, credentials: KafkaCredentials): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(file), 0o700);
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function generatePassword(): string {
  // base64url: no quote, comma, bracket or equals sign, so it fits JAAS and kafka-configs syntax as is.
  return randomBytes(24).toString("base64url");
}

/** New random passwords for the admin, each process and the controller listener. */
export function generateKafkaCredentials(): KafkaCredentials {
  const user = (username: string) => ({ username, password: generatePassword() });
  return {
    mechanism: "scram-sha-512",
    users: {
      admin: user("tickstream-admin"),
      ingest: user("tickstream-ingest"),
      stream: user("tickstream-stream"),
      web: user("tickstream-web"),
    },
    controller: user("tickstream-controller"),
  };
}

/** `connection` as one of the users of `credentials` (none: the connection as configured). */
export function connectAs(
  connection: KafkaConnection,
  credentials: KafkaCredentials | null,
  role: KafkaRole,
): KafkaConnection {
  if (!credentials) return connection;
  return withKafkaUser(connection, { mechanism: credentials.mechanism, ...credentials.users[role] });
}

/** The environment variables that make a process connect as `role` (lib/kafka/connection.ts reads them). */
export function getKafkaRoleEnv(
  credentials: KafkaCredentials | null,
  role: KafkaRole,
): Record<string, string> {
  if (!credentials) return {};
  const user = credentials.users[role];
  return {
    KAFKA_SASL_MECHANISM: credentials.mechanism,
    KAFKA_USERNAME: user.username,
    KAFKA_PASSWORD: user.password,
  };
}

/** The configured connection of the stack scripts before the broker is known (admin of KAFKA_CREDENTIALS_FILE). */
export function getConfiguredConnection(
  env: KafkaConnectionEnv & { KAFKA_CREDENTIALS_FILE?: string | undefined },
): { connection: KafkaConnection; credentials: KafkaCredentials | null } {
  const connection = getKafkaConnection(env);
  if (!env.KAFKA_CREDENTIALS_FILE) return { connection, credentials: null };
  const credentials = readKafkaCredentials(env.KAFKA_CREDENTIALS_FILE);
  if (!credentials)
    throw new StackError(`KAFKA_CREDENTIALS_FILE: ${env.KAFKA_CREDENTIALS_FILE} does not exist`);
  return { connection, credentials };
}
