// The local broker's security configuration: its server.properties (SASL/SCRAM listener, PLAIN
// controller listener, StandardAuthorizer) and the addition of SCRAM users to storage formatted without.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { pollUntil } from "@/lib/retry";

import type { LocalBroker } from "./kafka";
import type { KafkaCredentials } from "./kafka-credentials";
import { ROOT_DIR } from "./paths";
import { isAlive, run, StackError, tailLog } from "./proc";

export const LOG4J_CONFIG = path.join(ROOT_DIR, "scripts/stack/kafka/log4j2.properties");
export const SCRAM = "SCRAM-SHA-512";

function quoteJaas(value: string): string {
  return JSON.stringify(value);
}

/**
 * Clients connect to a SASL_PLAINTEXT listener with SCRAM users stored in the cluster's metadata, and
 * the StandardAuthorizer allows only what an ACL grants (the admin is the one super user). KRaft cannot
 * check SCRAM on the controller listener (its credentials live in the metadata the controller serves),
 * so that internal listener uses PLAIN with a generated user of its own, never anonymous access: an
 * anonymous principal there would have to be a super user.
 */
export function writeServerProperties(
  broker: LocalBroker,
  host: string,
  port: number,
  credentials: KafkaCredentials,
  isAddingUsers = false,
): string {
  const file = path.join(broker.dir, "server.properties");
  const controllerPort = port + 1;
  const { admin } = credentials.users;
  const controller = credentials.controller;
  if (!controller) throw new StackError(`the local broker's credentials have no controller user`);
  const props = [
    "# Written by scripts/stack/kafka.ts at every start: a single-node KRaft broker for local use.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=CLIENT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=CLIENT://${host}:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=CLIENT",
    "listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
    `sasl.enabled.mechanisms=${SCRAM}`,
    // While users are being added to older storage, no SCRAM user exists yet: the admin signs in with
    // PLAIN, checked against this file, for that one start only.
    `sasl.mechanism.inter.broker.protocol=${isAddingUsers ? "PLAIN" : SCRAM}`,
    `listener.name.client.sasl.enabled.mechanisms=${isAddingUsers ? `${SCRAM},PLAIN` : SCRAM}`,
    `listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=${quoteJaas(admin.username)} password=${quoteJaas(admin.password)};`,
    ...(isAddingUsers
      ? [
          `listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${quoteJaas(admin.username)} password=${quoteJaas(admin.password)} user_${admin.username}=${quoteJaas(admin.password)};`,
        ]
      : []),
    "sasl.mechanism.controller.protocol=PLAIN",
    "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${quoteJaas(controller.username)} password=${quoteJaas(controller.password)} user_${controller.username}=${quoteJaas(controller.password)};`,
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    `super.users=User:${admin.username};User:${controller.username}`,
    "allow.everyone.if.no.acl.found=false",
    `log.dirs=${path.join(broker.dir, "data")}`,
    "num.partitions=3",
    "auto.create.topics.enable=false",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=10",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=5",
    "share.coordinator.state.topic.replication.factor=1",
    "group.initial.rebalance.delay.ms=0",
    "log.retention.hours=168",
    "log.segment.bytes=268435456",
    "",
  ].join("\n");
  mkdirSync(broker.dir, { recursive: true, mode: 0o700 });
  chmodSync(broker.dir, 0o700);
  // It holds the admin's and the controller user's passwords.
  writeFileSync(file, props, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function listScramUsers(credentials: KafkaCredentials): { username: string; password: string }[] {
  return Object.values(credentials.users);
}

/**
 * Storage written before the broker had users (a checkout from before SCRAM): its topics and offsets are
 * kept. The broker runs once with PLAIN enabled for the admin (no SCRAM user exists yet), which adds the
 * SCRAM users with kafka-configs (KRaft stores them since 3.5; its controller listener does not take
 * that request); the caller then restarts it with SCRAM only.
 */
export async function addScramUsers(
  classpath: string,
  broker: LocalBroker,
  address: string,
  credentials: KafkaCredentials,
  pid: number,
): Promise<void> {
  const { admin } = credentials.users;
  const clientConfig = path.join(broker.dir, "admin-client.properties");
  writeFileSync(
    clientConfig,
    [
      "security.protocol=SASL_PLAINTEXT",
      "sasl.mechanism=PLAIN",
      `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${quoteJaas(admin.username)} password=${quoteJaas(admin.password)};`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  try {
    for (const user of listScramUsers(credentials)) {
      await pollUntil(
        () => {
          if (!isAlive(pid))
            throw new StackError(
              `the Kafka broker exited while its users were added. Last lines of .data/logs/${broker.name}.log:\n${tailLog(broker.name)}`,
            );
          try {
            run(
              "java",
              [
                "-cp",
                classpath,
                `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
                "kafka.admin.ConfigCommand",
                "--bootstrap-server",
                address,
                "--command-config",
                clientConfig,
                "--alter",
                "--add-config",
                `${SCRAM}=[password=${user.password}]`,
                "--entity-type",
                "users",
                "--entity-name",
                user.username,
              ],
              { what: `kafka-configs (SCRAM user ${user.username})` },
            );
            return true;
          } catch (error) {
            // The listener refuses connections until the broker has started.
            if (error instanceof StackError) return false;
            throw error;
          }
        },
        { timeoutMs: 90_000, intervalMs: 1_000, what: `the SCRAM user ${user.username}` },
      );
    }
  } finally {
    rmSync(clientConfig, { force: true });
  }
}
