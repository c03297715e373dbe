import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import type { AlertRuleStatus } from "@/lib/events/alert-rule";
import type { WebhookDeliveryStatus, WebhookEventType } from "@/lib/events/webhook";
import type { DeadLetterReasonClass } from "@/lib/events/dead-letter";
import type { AlertCondition, AlertConditionType, AlertValues } from "@/lib/kpi/alert-rules";
import type { SymbolSource, SymbolStatus } from "@/lib/events/symbol";

/** Raw bytes (node-postgres reads and writes bytea as Buffer). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => tstz("created_at").notNull().defaultNow();
const updatedAt = () => tstz("updated_at").notNull().defaultNow();

export type { SymbolSource, SymbolStatus };

/** The tickers an admin manages; the ingest worker follows the active ones. */
export const symbols = pgTable(
  "symbols",
  {
    symbol: text("symbol").primaryKey(),
    displayName: text("display_name"),
    /** null: the deployment's INGEST_SOURCE. */
    source: text("source").$type<SymbolSource>(),
    status: text("status").$type<SymbolStatus>().notNull().default("active"),
    statusReason: text("status_reason"),
    /** What the ingest worker last saw: open, closed, pre, post, replay, unknown. */
    marketState: text("market_state"),
    exchangeTimezone: text("exchange_timezone").notNull().default("America/New_York"),
    pollIntervalSeconds: integer("poll_interval_seconds").notNull().default(60),
    /** Start of the newest bar of this symbol that reached Kafka. */
    lastTickAt: tstz("last_tick_at"),
    lastError: text("last_error"),
    lastErrorAt: tstz("last_error_at"),
    removedAt: tstz("removed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // The CHECKs repeat symbolStatusSchema, symbolSourceSchema and the admin's poll bounds in SQL;
  // tests/integration/schema-checks.test.ts pins the migrated constraints to them.
  (t) => [
    check("symbols_status_check", sql`${t.status} in ('active', 'paused', 'invalid', 'removed')`),
    check("symbols_source_check", sql`${t.source} in ('yahoo', 'replay', 'synthetic', 'external')`),
    check("symbols_poll_interval_check", sql`${t.pollIntervalSeconds} between 5 and 3600`),
    index("symbols_status_idx").on(t.status),
  ],
);

/** The ingest worker's durable position per symbol: the newest bar that reached Kafka. */
export const ingestCursors = pgTable("ingest_cursors", {
  symbol: text("symbol").primaryKey(),
  source: text("source").notNull(),
  lastTs: tstz("last_ts").notNull(),
  /** Replay only: start (epoch ms) of the newest minute whose final bar reached Kafka (`last_ts` may be a partial bar after it). */
  replaySeq: bigint("replay_seq", { mode: "number" }),
  updatedAt: updatedAt(),
});

/** Small durable key/value state of the workers (e.g. the synthetic feed's clock). */
export const appState = pgTable("app_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

/** One row per running worker process, refreshed every HEARTBEAT_SECONDS. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  kind: text("kind").notNull(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: tstz("started_at").notNull(),
  lastBeatAt: tstz("last_beat_at").notNull(),
  info: jsonb("info").notNull().default({}),
});

/** Optional landing of every accepted tick event (bounded by RAW_TICKS_RETENTION_HOURS). */
export const rawTicks = pgTable(
  "raw_ticks",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    kafkaOffset: bigint("kafka_offset", { mode: "number" }).notNull(),
    symbol: text("symbol").notNull(),
    ts: tstz("ts").notNull(),
    open: doublePrecision("open").notNull(),
    high: doublePrecision("high").notNull(),
    low: doublePrecision("low").notNull(),
    close: doublePrecision("close").notNull(),
    volume: bigint("volume", { mode: "number" }).notNull(),
    source: text("source").notNull(),
    producedAt: tstz("produced_at").notNull(),
    receivedAt: tstz("received_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.topic, t.partition, t.kafkaOffset] }),
    // Retention deletes by received_at. No index by symbol: only an admin's purge of a symbol looks
    // rows up that way (a scan of at most RAW_TICKS_RETENTION_HOURS of events), while every landed
    // event paid for one (drizzle/0011_raw_ticks_without_symbol_index.sql).
    index("raw_ticks_received_at_idx").on(t.receivedAt),
  ],
);

/** One row per (symbol, minute): the latest revision of the bar with its indicators. */
export const factPrices = pgTable(
  "fact_prices",
  {
    symbol: text("symbol").notNull(),
    ts: tstz("ts").notNull(),
    tradeDate: date("trade_date", { mode: "string" }).notNull(),
    open: doublePrecision("open").notNull(),
    high: doublePrecision("high").notNull(),
    low: doublePrecision("low").notNull(),
    close: doublePrecision("close").notNull(),
    volume: bigint("volume", { mode: "number" }).notNull(),
    ma5: doublePrecision("ma_5"),
    ma20: doublePrecision("ma_20"),
    ema20: doublePrecision("ema_20"),
    vwap: doublePrecision("vwap"),
    isFinal: boolean("is_final").notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.ts] }),
    index("fact_prices_ts_idx").on(t.ts),
    index("fact_prices_symbol_trade_date_idx").on(t.symbol, t.tradeDate),
    index("fact_prices_open_bars_idx")
      .on(t.ts)
      .where(sql`not ${t.isFinal}`),
  ],
);

/** One row per (symbol, trading day in the exchange's time zone). */
export const dailyStats = pgTable(
  "daily_stats",
  {
    symbol: text("symbol").notNull(),
    tradeDate: date("trade_date", { mode: "string" }).notNull(),
    open: doublePrecision("open").notNull(),
    high: doublePrecision("high").notNull(),
    low: doublePrecision("low").notNull(),
    close: doublePrecision("close").notNull(),
    volume: bigint("volume", { mode: "number" }).notNull(),
    prevClose: doublePrecision("prev_close"),
    changePct: doublePrecision("change_pct"),
    dayRange: doublePrecision("day_range").notNull(),
    rangePct: doublePrecision("range_pct").notNull(),
    vwap: doublePrecision("vwap"),
    barCount: integer("bar_count").notNull(),
    firstBarAt: tstz("first_bar_at").notNull(),
    lastBarAt: tstz("last_bar_at").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.tradeDate] }),
    index("daily_stats_trade_date_idx").on(t.tradeDate),
  ],
);

/**
 * One row per (window length, window start, symbol) of the tumbling windows. The views `top_movers`,
 * `bi.top_movers` and `bi.latest_movers` rank them for BI tools (custom migrations in drizzle/); the
 * app ranks them with lib/kpi/movers.ts instead.
 */
export const kpiSnapshots = pgTable(
  "kpi_snapshots",
  {
    windowMinutes: integer("window_minutes").notNull(),
    windowStart: tstz("window_start").notNull(),
    symbol: text("symbol").notNull(),
    windowEnd: tstz("window_end").notNull(),
    avgPrice: doublePrecision("avg_price").notNull(),
    vwap: doublePrecision("vwap"),
    totalVolume: bigint("total_volume", { mode: "number" }).notNull(),
    gainPct: doublePrecision("gain_pct").notNull(),
    firstOpen: doublePrecision("first_open").notNull(),
    lastClose: doublePrecision("last_close").notNull(),
    high: doublePrecision("high").notNull(),
    low: doublePrecision("low").notNull(),
    barCount: integer("bar_count").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.windowMinutes, t.windowStart, t.symbol] }),
    index("kpi_snapshots_symbol_idx").on(t.symbol, t.windowMinutes, t.windowStart),
  ],
);

/** Exactly-once bookkeeping: the next Kafka offset to apply, written with the rows of each batch. */
export const streamOffsets = pgTable(
  "stream_offsets",
  {
    consumerGroup: text("consumer_group").notNull(),
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    nextOffset: bigint("next_offset", { mode: "number" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.consumerGroup, t.topic, t.partition] })],
);

/**
 * The dead-letter outbox: one row per rejected event, keyed by where it was read (topic, partition,
 * offset) and written in the transaction of its batch, so a retried batch can neither lose nor double
 * one. The relay (workers/stream/dead-letter-relay.ts) publishes unpublished rows to the DLQ topic in
 * `seq` order and then sets `published_at`; published rows are deleted after the retention period.
 */
export const deadLetters = pgTable(
  "dead_letters",
  {
    sourceTopic: text("source_topic").notNull(),
    sourcePartition: integer("source_partition").notNull(),
    sourceOffset: bigint("source_offset", { mode: "number" }).notNull(),
    /** Recording order (per source partition it is offset order): the relay publishes in it. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    /** The message key as received; null when the message had none. */
    messageKey: text("message_key"),
    /** The value bytes as received, cut to MAX_DEAD_LETTER_VALUE_BYTES; null when the value was null. */
    value: bytea("value"),
    /** Size in bytes of the value as received (larger than `value` when it was cut). */
    valueBytes: integer("value_bytes").notNull(),
    reasonClass: text("reason_class").$type<DeadLetterReasonClass>().notNull(),
    reason: text("reason").notNull(),
    failedAt: tstz("failed_at").notNull(),
    /** When the broker acknowledged the letter on the DLQ topic; null until then. */
    publishedAt: tstz("published_at"),
    /** Failed publish attempts and the last one's error (a broker outage, a missing topic). */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [
    primaryKey({ columns: [t.sourceTopic, t.sourcePartition, t.sourceOffset] }),
    index("dead_letters_unpublished_idx")
      .on(t.seq)
      .where(sql`${t.publishedAt} is null`),
    index("dead_letters_published_at_idx").on(t.publishedAt),
  ],
);

/** Signed-in admin sessions; the cookie carries the token, the table its SHA-256. */
export const adminSessions = pgTable("admin_sessions", {
  tokenHash: text("token_hash").primaryKey(),
  username: text("username").notNull(),
  createdAt: createdAt(),
  expiresAt: tstz("expires_at").notNull(),
  revokedAt: tstz("revoked_at"),
  clientIp: text("client_ip"),
  userAgent: text("user_agent"),
});

/**
 * Failed sign-in counters shared by every web instance (lib/auth/sign-in-throttle.ts): one row per
 * client address (`scope` address) and per submitted username (`scope` account). `last_attempt_at` is
 * when that key was last heard or, for a new address, when it began to wait for the account's delay.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    scope: text("scope").$type<"address" | "account">().notNull(),
    key: text("key").notNull(),
    failures: integer("failures").notNull().default(0),
    lastFailureAt: tstz("last_failure_at"),
    lastAttemptAt: tstz("last_attempt_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("sign_in_throttle_updated_at_idx").on(t.updatedAt),
    check("sign_in_throttle_scope_check", sql`${t.scope} in ('address', 'account')`),
    check("sign_in_throttle_failures_check", sql`${t.failures} >= 0`),
  ],
);

/** Every admin change: who, what, before and after, when. */
export const adminAuditLog = pgTable(
  "admin_audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    symbol: text("symbol"),
    before: jsonb("before"),
    after: jsonb("after"),
    clientIp: text("client_ip"),
  },
  (t) => [index("admin_audit_log_at_idx").on(t.at), index("admin_audit_log_symbol_idx").on(t.symbol)],
);

/**
 * Alert rules an admin manages. Never deleted while events refer to them: `deleted_at` retires one.
 * A trigger bumps `version` when the condition, scope or cooldown changes and NOTIFYs
 * `alert_rules_changed` on every change (drizzle/0007_alerts.sql).
 */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    /** lib/events/alert-rule.ts alertConditionSchema; parsed on every read. */
    condition: jsonb("condition").$type<AlertCondition>().notNull(),
    /** Denormalised `condition.type`, for filters and BI. */
    ruleType: text("rule_type").$type<AlertConditionType>().notNull(),
    scope: text("scope").$type<"all" | "symbols">().notNull(),
    /** The watched symbols when `scope` is `symbols`; empty for `all`. */
    symbols: text("symbols")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    cooldownMinutes: integer("cooldown_minutes").notNull().default(0),
    status: text("status").$type<AlertRuleStatus>().notNull().default("enabled"),
    version: integer("version").notNull().default(1),
    deletedAt: tstz("deleted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("alert_rules_scope_check", sql`${t.scope} in ('all', 'symbols')`),
    check("alert_rules_status_check", sql`${t.status} in ('enabled', 'paused')`),
    check("alert_rules_type_check", sql`${t.ruleType} = ${t.condition} ->> 'type'`),
    check("alert_rules_cooldown_check", sql`${t.cooldownMinutes} >= 0`),
    check("alert_rules_version_check", sql`${t.version} >= 1`),
  ],
);

/**
 * One row per (rule, symbol, bar) that fired, written in the transaction of the batch whose bars caused
 * it (or, for stale data, by the sweep that saw the gap). Rows are never deleted by the pipeline: a
 * revision that undoes the condition sets `retracted_at`. `id` and `revision` are what deliveries carry.
 */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ruleId: bigint("rule_id", { mode: "number" })
      .notNull()
      .references(() => alertRules.id),
    ruleVersion: integer("rule_version").notNull(),
    ruleType: text("rule_type").$type<AlertConditionType>().notNull(),
    symbol: text("symbol").notNull(),
    barTs: tstz("bar_ts").notNull(),
    values: jsonb("values").$type<AlertValues>().notNull(),
    firedAt: tstz("fired_at").notNull().defaultNow(),
    retractedAt: tstz("retracted_at"),
    retractReason: text("retract_reason"),
    revision: integer("revision").notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("alert_events_rule_symbol_bar_idx").on(t.ruleId, t.symbol, t.barTs),
    index("alert_events_symbol_bar_idx").on(t.symbol, t.barTs),
    index("alert_events_fired_at_idx").on(t.firedAt),
  ],
);

/**
 * Where alerts are POSTed (issue 16). The secret signs every delivery (lib/alerts/webhook-signature.ts)
 * and is stored as is because signing needs it; no view of the bi schema exposes this table. While a
 * rotated secret's grace period runs, deliveries carry a signature with the previous secret too.
 * Empty `rule_ids` / `symbols`: every rule / every symbol.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: tstz("previous_secret_expires_at"),
    isEnabled: boolean("is_enabled").notNull().default(true),
    ruleIds: bigint("rule_ids", { mode: "number" })
      .array()
      .notNull()
      .default(sql`'{}'::bigint[]`),
    symbols: text("symbols")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("webhook_endpoints_url_check", sql`${t.url} ~ '^https?://'`)],
);

/**
 * The webhook outbox: one row per (endpoint, alert event, event revision), inserted by a trigger on
 * alert_events in the transaction that wrote the event (drizzle/0008_webhook_outbox.sql), with the
 * payload as of that revision. The relay (workers/stream/webhook-relay.ts) POSTs due rows and records
 * each attempt; `status` ends at delivered, or failed after the last attempt.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: bigint("endpoint_id", { mode: "number" })
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    alertEventId: bigint("alert_event_id", { mode: "number" })
      .notNull()
      .references(() => alertEvents.id, { onDelete: "cascade" }),
    eventRevision: integer("event_revision").notNull(),
    /** The body's `type`: alert.fired or alert.retracted. */
    eventType: text("event_type").$type<WebhookEventType>().notNull(),
    /** The body as of this revision (lib/events/webhook.ts webhookPayloadSchema), built by the trigger. */
    payload: jsonb("payload").$type<unknown>().notNull(),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    lastAttemptAt: tstz("last_attempt_at"),
    lastHttpStatus: integer("last_http_status"),
    lastError: text("last_error"),
    deliveredAt: tstz("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_idx").on(t.endpointId, t.alertEventId, t.eventRevision),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_created_at_idx").on(t.createdAt),
    check("webhook_deliveries_status_check", sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);

export type SymbolRow = typeof symbols.$inferSelect;
export type NewSymbolRow = typeof symbols.$inferInsert;
export type FactPriceRow = typeof factPrices.$inferSelect;
export type DailyStatRow = typeof dailyStats.$inferSelect;
export type KpiSnapshotRow = typeof kpiSnapshots.$inferSelect;
export type AdminAuditLogRow = typeof adminAuditLog.$inferSelect;
export type DeadLetterRow = typeof deadLetters.$inferSelect;
export type NewDeadLetterRow = typeof deadLetters.$inferInsert;
export type WorkerHeartbeatRow = typeof workerHeartbeats.$inferSelect;
export type AlertRuleRow = typeof alertRules.$inferSelect;
export type NewAlertRuleRow = typeof alertRules.$inferInsert;
export type AlertEventRow = typeof alertEvents.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type SignInThrottleRow = typeof signInThrottle.$inferSelect;
