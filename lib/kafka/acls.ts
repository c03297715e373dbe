import kafkajs from "kafkajs";

import type { TopicNames } from "@/lib/events/topics";
import type { Admin } from "@/lib/kafka/client";

/** The processes that talk to Kafka, each as its own user. */
export type PipelineRole = "ingest" | "stream" | "web";
export const PIPELINE_ROLES = ["ingest", "stream", "web"] as const satisfies readonly PipelineRole[];

/** Consumer groups one role may use: one group by name, or every group whose id starts with `name`. */
export type GroupPattern = { name: string; isPrefix: boolean };

export type PipelineAclSpec = {
  topics: TopicNames;
  users: Record<PipelineRole, string>;
  groups: { stream: GroupPattern; web: GroupPattern };
};

export type PipelineOperation = "read" | "write" | "describe" | "delete";

export type PipelineGrant = {
  role: PipelineRole;
  resource: "topic" | "group";
  name: string;
  isPrefix: boolean;
  operations: PipelineOperation[];
};

/**
 * What each process may do, and nothing more (the README's ACL table is this list). READ and WRITE
 * imply DESCRIBE in Kafka, and WRITE on a topic lets an idempotent producer get its producer id (Kafka
 * 3.0+), so neither needs a grant of its own. The web process only describes the ticks topic: the
 * pipeline monitor reads its end offsets and /api/health its partitions.
 */
export function listPipelineGrants(spec: PipelineAclSpec): PipelineGrant[] {
  const { topics, groups } = spec;
  const topic = (role: PipelineRole, name: string, operations: PipelineOperation[]): PipelineGrant => ({
    role,
    resource: "topic",
    name,
    isPrefix: false,
    operations,
  });
  const group = (
    role: PipelineRole,
    pattern: GroupPattern,
    operations: PipelineOperation[],
  ): PipelineGrant => ({
    role,
    resource: "group",
    ...pattern,
    operations,
  });
  return [
    topic("ingest", topics.ticks, ["write"]),
    topic("stream", topics.ticks, ["read"]),
    topic("stream", topics.kpis, ["write"]),
    topic("stream", topics.ticksDlq, ["write"]),
    group("stream", groups.stream, ["read"]),
    topic("web", topics.kpis, ["read"]),
    topic("web", topics.ticksDlq, ["read"]),
    topic("web", topics.ticks, ["describe"]),
    // Each web instance consumes in groups of its own and deletes them when it stops.
    group("web", groups.web, ["read", "delete"]),
  ];
}

// Node's ESM loader finds only the first few named exports of kafkajs's CommonJS index; these enums come
// after them, so they are read from the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const OPERATIONS: Record<PipelineOperation, kafkajs.AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
  delete: AclOperationTypes.DELETE,
};

/** Creates the pipeline's ACLs (creating one that exists changes nothing). Needs a super user. */
export async function grantPipelineAcls(admin: Admin, spec: PipelineAclSpec): Promise<PipelineGrant[]> {
  const grants = listPipelineGrants(spec);
  await admin.createAcls({
    acl: grants.flatMap((grant) =>
      grant.operations.map((operation) => ({
        resourceType: grant.resource === "topic" ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
        resourceName: grant.name,
        resourcePatternType: grant.isPrefix ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
        principal: `User:${spec.users[grant.role]}`,
        host: "*",
        operation: OPERATIONS[operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  });
  return grants;
}
