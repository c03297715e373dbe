import { randomUUID } from "node:crypto";

import pg from "pg";
import { inject } from "vitest";

import { closeDb, createDb, type Db, type DbOrTx } from "@/lib/db/client";
import { applyDatabaseGrants } from "@/lib/db/migrate";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { parseEnv } from "@/lib/env";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { grantPipelineAcls, type PipelineAclSpec } from "@/lib/kafka/acls";
import {
  createAdmin,
  createKafkaClient,
  createProducer,
  type KafkaClient,
  type Producer,
} from "@/lib/kafka/client";
import type { KafkaConnection } from "@/lib/kafka/connection";
import { sendJsonBatch, type InMessage } from "@/lib/kafka/messages";
import { WEB_GROUP_PREFIX } from "@/lib/kafka/consumer-groups";
import { createLogger, describeError } from "@/lib/log";
import { pollUntil } from "@/lib/retry";
import {
  startIngestWorker,
  type IngestWorker,
  type IngestWorkerOptions,
} from "@/workers/ingest/start-ingest-worker";
import {
  createTickBatchHandler,
  type TickBatchConfig,
  type TickBatchDeps,
} from "@/workers/handlers/tick-batch";
import {
  startStreamWorker,
  type StreamWorker,
  type StreamWorkerOptions,
} from "@/workers/stream/start-stream-worker";
import { connectAs, getKafkaRoleEnv, type KafkaRole } from "@/scripts/stack/kafka-credentials";
import { createPipelineTopics } from "@/scripts/stack/scratch";

export const testLogger = createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent");

/**
 * Runs one cleanup step after tests. A failure is logged at debug (TEST_LOG_LEVEL=debug shows it) and
 * not thrown: it must not hide the tests' own result or skip the cleanup steps after it.
 */
export async function runCleanup(what: string, step: () => Promise<unknown> | undefined): Promise<void> {
  try {
    await step();
  } catch (error) {
    testLogger.debug({ err: describeError(error) }, `cleanup failed: ${what}`);
  }
}

/** A short unique id for names of databases, topics and groups. */
export function uniqueId(prefix = "t"): string {
  return `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

export type TestDatabase = {
  /** The runtime role's connection (DML only), as the web server and workers connect. */
  url: string;
  name: string;
  db: Db;
  /** The admin's (a superuser's) pool, for what tests do beyond the product: DDL, TRUNCATE, roles. */
  adminDb: Db;
  drop: () => Promise<void>;
};

/**
 * A fresh database cloned from the migrated template; `drop()` removes it. The product code under test
 * gets the runtime role's connection (the private cluster's tickstream_app, granted DML the way the
 * migrations grant it), so that a query needing more than DML fails here as it would in production.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `tst_${Math.floor(Date.now() / 1000)}_${uniqueId("db")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(
      `create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(inject("templateDatabase"))}`,
    );
  } finally {
    await admin.end();
  }
  const adminDbUrl = new URL(adminUrl);
  adminDbUrl.pathname = `/${name}`;
  const adminDb = createDb(adminDbUrl.toString(), { max: 2, applicationName: "tickstream-test-admin" });
  const runtime = inject("runtimeDatabaseUser");
  await applyDatabaseGrants(adminDb, runtime?.username);
  const url = new URL(adminDbUrl);
  if (runtime) {
    url.username = encodeURIComponent(runtime.username);
    url.password = encodeURIComponent(runtime.password);
  }
  const db = createDb(url.toString(), { max: 5, applicationName: "tickstream-test" });
  return {
    url: url.toString(),
    name,
    db,
    adminDb,
    drop: async () => {
      await runCleanup("closing the test database's pool", () => closeDb(db));
      await runCleanup("closing the test database's admin pool", () => closeDb(adminDb));
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The privilege check for product processes a test spawns: enforced when they run as the private
 * cluster's runtime role; only logged against a server of one's own whose URL is a superuser's.
 */
export function getTestPrivilegeCheck(): "enforce" | "warn" {
  return inject("runtimeDatabaseUser") ? "enforce" : "warn";
}

export function getTestBrokers(): string[] {
  return inject("kafkaBrokers").split(",");
}

/**
 * The test broker as `role`: the workers under test connect as their process's user, so that they run
 * with the ACLs production grants; tests feed and inspect topics as the admin.
 */
export function getTestKafkaConnection(role: KafkaRole = "admin"): KafkaConnection {
  return connectAs(inject("kafkaAdmin"), inject("kafkaCredentials"), role);
}

/** Environment for a product process spawned by a test, connecting as `role`. */
export function getTestKafkaEnv(role: KafkaRole): Record<string, string> {
  return { KAFKA_BROKERS: getTestBrokers().join(","), ...getKafkaRoleEnv(inject("kafkaCredentials"), role) };
}

export function createTestKafka(clientId = uniqueId("client"), role: KafkaRole = "admin"): KafkaClient {
  return createKafkaClient({ ...getTestKafkaConnection(role), clientId, logger: testLogger, retries: 5 });
}

/**
 * Consumer groups of the processes in tests: every test's own, by prefix (ACLs are broker-wide, so a
 * grant of any group would let every user of the test broker use every group).
 */
const TEST_GROUPS: PipelineAclSpec["groups"] = {
  stream: { name: "it-stream-", isPrefix: true },
  web: { name: WEB_GROUP_PREFIX, isPrefix: true },
};

/** A fresh group id that the process `role` may consume in (see TEST_GROUPS). */
export function createTestGroupId(role: "stream" | "web"): string {
  const prefix = role === "stream" ? TEST_GROUPS.stream.name : TEST_GROUPS.web.name;
  return `${prefix}${uniqueId("g")}`;
}

export type TestTopics = { ticks: string; kpis: string; ticksDlq: string };

/**
 * Grants the test users the pipeline's ACLs on `topics` without creating them (a literal ACL may name a
 * topic that does not exist yet), for tests that create their topics themselves.
 */
export async function grantTestTopicAcls(topics: TestTopics): Promise<void> {
  const credentials = inject("kafkaCredentials");
  if (!credentials) return;
  const admin = createAdmin(createTestKafka(uniqueId("acl")));
  await admin.connect();
  try {
    const { users } = credentials;
    await grantPipelineAcls(admin, {
      topics,
      users: { ingest: users.ingest.username, stream: users.stream.username, web: users.web.username },
      groups: TEST_GROUPS,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Unique topics for one test (ticks with `partitions` partitions), created and ready. */
export async function createTestTopics(partitions = 3): Promise<TestTopics> {
  const id = uniqueId("it");
  const topics = {
    ticks: `${id}.market.ticks`,
    kpis: `${id}.market.kpis`,
    ticksDlq: `${id}.market.ticks.dlq`,
  };
  await createPipelineTopics(getTestKafkaConnection("admin"), topics, partitions, {
    credentials: inject("kafkaCredentials"),
    groups: TEST_GROUPS,
  });
  return topics;
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`); an
 * error thrown by `check` counts as "not yet" (lib/retry.ts pollUntil).
 */
export function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  return pollUntil(check, { what, timeoutMs, intervalMs, isRetriable: () => true });
}

const defaults = parseEnv({});

/** The stream worker's symbol settings as a deployment gets them by default (unknown symbols rejected). */
export const DEFAULT_STREAM_SYMBOL_SETTINGS = {
  symbolPolicy: {
    unknownSymbols: defaults.UNKNOWN_SYMBOLS,
    maxRegisteredSymbols: defaults.MAX_REGISTERED_SYMBOLS,
  },
  maxCachedSymbols: defaults.STREAM_MAX_CACHED_SYMBOLS,
  maxCachedBars: defaults.STREAM_MAX_CACHED_BARS,
  refusalTtlMs: 30_000,
};

/** A tick as the stream worker receives it from Kafka: partition 0 and keyed by its symbol unless told. */
export function toTickInMessage(
  tick: TickV1,
  offset: number,
  { partition = 0, key = tick.symbol }: { partition?: number; key?: string | null } = {},
): InMessage {
  return { partition, offset, key, value: Buffer.from(JSON.stringify(tick)), headers: {}, timestamp: 0 };
}

/**
 * The stream worker's batch handler against a test database at a fixed time, configured as the worker
 * configures it by default (America/New_York, a 30 s grace, the default symbol settings), with no landing
 * table unless `config` says so.
 */
export function createTestTickBatchHandler(
  database: Pick<TestDatabase, "db">,
  options: {
    now: number;
    config: Pick<TickBatchConfig, "groupId" | "windows"> & Partial<TickBatchConfig>;
  } & Pick<TickBatchDeps, "evaluateAlerts">,
) {
  return createTickBatchHandler({
    db: database.db,
    logger: testLogger,
    clock: () => options.now,
    config: {
      finalGraceMs: 30_000,
      defaultTimeZone: "America/New_York",
      landRawTicks: false,
      futureToleranceMs: 60_000,
      ...DEFAULT_STREAM_SYMBOL_SETTINGS,
      ...options.config,
    },
    evaluateAlerts: options.evaluateAlerts,
  });
}

/**
 * Registers symbols a test produces bars for, as an operator would for a feed from outside: the stream
 * worker dead-letters events of unregistered symbols by default. Existing rows stay as they are.
 */
export async function registerTestSymbols(db: DbOrTx, list: readonly string[]): Promise<void> {
  await insertSymbols(
    db,
    [...new Set(list)].map((symbol) => ({ symbol, source: "external" as const, status: "active" as const })),
  );
}

/** Sends ticks to `topic` keyed by their symbol, as the ingest worker does. */
export async function sendTestTicks(
  producer: Producer,
  topic: string,
  ticks: readonly TickV1[],
): Promise<void> {
  await sendJsonBatch(
    producer,
    topic,
    tickV1Schema,
    ticks.map((t) => ({ key: t.symbol, value: t })),
  );
}

/** Rows of `fact_prices`: one per stored bar. */
export async function countStoredBars(db: Db): Promise<number> {
  const { rows } = await db.$client.query<{ n: string }>("select count(*) as n from fact_prices");
  return Number(rows[0]?.n);
}

/** What lockStreamOffsetRows holds: a transaction to commit, or a connection to destroy. */
export type OffsetRowLock = { commit: () => Promise<void>; destroy: () => void };

/**
 * Locks every `stream_offsets` row of `groupId` (`FOR UPDATE` in a transaction left open on a connection
 * of its own), so that the group's next batch transactions wait, as behind a slow PostgreSQL. `commit()`
 * lets them go on; `destroy()` (for a finally) closes the connection instead of pooling it, so that a
 * failure before the commit never leaves the lock held.
 */
export async function lockStreamOffsetRows(db: Db, groupId: string): Promise<OffsetRowLock> {
  const holder = await db.$client.connect();
  try {
    await holder.query("begin");
    await holder.query("select next_offset from stream_offsets where consumer_group = $1 for update", [
      groupId,
    ]);
  } catch (error) {
    holder.release(true);
    throw error;
  }
  return {
    commit: async () => void (await holder.query("commit")),
    destroy: () => holder.release(true),
  };
}

/** Waits until some session of the test database waits for a lock (a batch behind lockStreamOffsetRows). */
export async function waitForLockWaiters(db: Db, what: string): Promise<void> {
  await waitFor(
    what,
    async () =>
      Number(
        (
          await db.$client.query<{ n: string }>(
            "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
          )
        ).rows[0]?.n,
      ) > 0,
    30_000,
  );
}

/**
 * What a test of stream workers feeds and watches them with: `symbols` registered in `database`, topics
 * of `partitions` partitions, a group id for the workers, and a connected admin and idempotent
 * producer (`close` disconnects them). `send` produces ticks as the ingest worker does; `stored` counts
 * the bars in `fact_prices`; `group` gives the group's state and its members' ids.
 */
export async function setUpStreamTest(
  database: TestDatabase,
  symbols: readonly string[],
  partitions: number,
) {
  const topics = await createTestTopics(partitions);
  await registerTestSymbols(database.db, symbols);
  const groupId = createTestGroupId("stream");
  const kafka = createTestKafka();
  const admin = createAdmin(kafka);
  const producer = createProducer(kafka, { idempotent: true });
  await Promise.all([admin.connect(), producer.connect()]);
  return {
    topics,
    groupId,
    send: (ticks: readonly TickV1[]) => sendTestTicks(producer, topics.ticks, ticks),
    stored: () => countStoredBars(database.db),
    group: async () => {
      const [group] = (await admin.describeGroups([groupId])).groups;
      return { state: group?.state, ids: group?.members.map((m) => m.memberId) ?? [] };
    },
    close: async () => {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    },
  };
}

/**
 * Environment of a stream worker process a test spawns (`workers/stream.ts`) against a test database,
 * topics and group: a 6 s session and warnings only unless `overrides` say otherwise.
 */
export function getTestStreamWorkerEnv(
  database: Pick<TestDatabase, "url">,
  topics: TestTopics,
  groupId: string,
  overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: database.url,
    DATABASE_PRIVILEGE_CHECK: getTestPrivilegeCheck(),
    ...getTestKafkaEnv("stream"),
    TOPIC_TICKS: topics.ticks,
    TOPIC_KPIS: topics.kpis,
    TOPIC_TICKS_DLQ: topics.ticksDlq,
    STREAM_GROUP_ID: groupId,
    STREAM_SESSION_TIMEOUT_MS: "6000",
    LOG_LEVEL: "warn",
    ...overrides,
  };
}

/** The stream worker in this process against a test database and topics (options override). */
export function startTestStreamWorker(
  database: TestDatabase,
  topics: TestTopics,
  overrides: Partial<StreamWorkerOptions> = {},
): Promise<StreamWorker> {
  return startStreamWorker({
    db: database.db,
    kafka: createTestKafka(uniqueId("stream"), "stream"),
    logger: testLogger,
    topics,
    groupId: createTestGroupId("stream"),
    windows: [5, 15, 60],
    finalGraceSeconds: 30,
    defaultTimeZone: "America/New_York",
    symbolPolicy: DEFAULT_STREAM_SYMBOL_SETTINGS.symbolPolicy,
    maxCachedSymbols: DEFAULT_STREAM_SYMBOL_SETTINGS.maxCachedSymbols,
    maxCachedBars: DEFAULT_STREAM_SYMBOL_SETTINGS.maxCachedBars,
    fetchMaxBytes: defaults.STREAM_FETCH_MAX_BYTES,
    rawTicksRetentionHours: 48,
    housekeepingMs: 0,
    ...overrides,
  });
}

/** The ingest worker in this process against a test database (replay by default, no seeding). */
export function startTestIngestWorker(
  database: TestDatabase,
  ticksTopic: string,
  overrides: Partial<IngestWorkerOptions> = {},
): Promise<IngestWorker> {
  return startIngestWorker({
    db: database.db,
    databaseUrl: database.url,
    kafka: createTestKafka(uniqueId("ingest"), "ingest"),
    logger: testLogger,
    ticksTopic,
    defaultSource: "replay",
    seedSymbols: [],
    exchangeTimeZone: "America/New_York",
    bufferMax: 100_000,
    replay: { dataDir: "data/minute-bars", backfillDays: 0 },
    synthetic: { seed: 1, barsPerSecond: 1 },
    yahoo: { pollSeconds: 30, concurrency: 1, backfillDays: 0 },
    ...overrides,
  });
}
