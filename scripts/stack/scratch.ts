import pg from "pg";

import { migrateDatabase } from "@/lib/db/migrate";
import type { TopicNames } from "@/lib/events/topics";
import { grantPipelineAcls, type PipelineAclSpec } from "@/lib/kafka/acls";
import { createAdmin, createKafkaClient, type KafkaClient } from "@/lib/kafka/client";
import type { KafkaConnection } from "@/lib/kafka/connection";
import { WEB_GROUP_PREFIX } from "@/lib/kafka/consumer-groups";
import { ensureTopics, type TopicSpec, type TopicState } from "@/lib/kafka/topics";
import { createLogger } from "@/lib/log";

import type { KafkaCredentials } from "./kafka-credentials";

/** The pipeline's three topics: ticks and KPIs keyed by symbol over `partitions`, the DLQ on one. */
export function pipelineTopicSpecs(topics: TopicNames, partitions: number): TopicSpec[] {
  return [
    { topic: topics.ticks, numPartitions: partitions },
    { topic: topics.kpis, numPartitions: partitions },
    { topic: topics.ticksDlq, numPartitions: 1 },
  ];
}

/** The processes' consumer groups: the stream worker's one group, the web instances' by prefix. */
export function getProcessGroups(streamGroupId: string): PipelineAclSpec["groups"] {
  return {
    stream: { name: streamGroupId, isPrefix: false },
    web: { name: WEB_GROUP_PREFIX, isPrefix: true },
  };
}

/** Who may use the pipeline's topics: the users of `credentials` (none: no ACLs) and their groups. */
export type PipelineAccess = { credentials: KafkaCredentials | null; groups: PipelineAclSpec["groups"] };

/**
 * Creates the pipeline's topics (for the stack, a test run or a benchmark under its own names) as the
 * admin of `connection`, and grants each process's user what it needs on them (lib/kafka/acls.ts).
 */
export async function createPipelineTopics(
  connection: KafkaConnection,
  topics: TopicNames,
  partitions = 3,
  access: PipelineAccess | null = null,
): Promise<TopicState[]> {
  const admin = createAdmin(
    createKafkaClient({
      ...connection,
      clientId: "tickstream-scratch",
      logger: createLogger("scratch", "silent"),
      retries: 3,
    }),
  );
  await admin.connect();
  try {
    const state = await ensureTopics(admin, pipelineTopicSpecs(topics, partitions));
    if (access?.credentials) {
      const { admin: _admin, ...users } = access.credentials.users;
      await grantPipelineAcls(admin, {
        topics,
        users: { ingest: users.ingest.username, stream: users.stream.username, web: users.web.username },
        groups: access.groups,
      });
    }
    return state;
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
