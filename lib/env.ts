import { isIP } from "node:net";

import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

// Relative on purpose: next.config.ts loads this file and its loader resolves "@/" from the root.
import { unknownSymbolsModeSchema } from "./events/symbol-policy";
import { DEFAULT_TOPICS } from "./events/topics";

/**
 * Every setting of every Tickstream process, validated once per process. Defaults work on a developer
 * machine with `npm start`; `.env.example` documents each variable. A bad value stops the process with
 * the variable's name and how to fix it.
 */
const symbolListSchema = z
  .string()
  .transform((value) =>
    value
      .split(/[\s,]+/)
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Z0-9^][A-Z0-9.\-=^]{0,19}$/, "each symbol like AAPL, BRK-B or ^GSPC")));

const minutesListSchema = z
  .string()
  .transform((value) =>
    value
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number),
  )
  .pipe(z.array(z.number().int().min(1).max(1440)).min(1, "at least one window length in minutes"));

const booleanSchema = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

export const envSchema = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),

  DATABASE_URL: z
    .url()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), "must start with postgres:// or postgresql://")
    // No password: the stack fills in the private cluster's generated ones (README, "Database roles").
    .default("postgres://tickstream_app@127.0.0.1:55432/tickstream"),
  /**
   * The owner's connection, which runs the migrations and owns the objects (README, "Database roles");
   * DATABASE_URL is then the runtime role of the web server and workers, granted DML only. Unset: one
   * role does both, which the privilege check reports.
   */
  DATABASE_OWNER_URL: z
    .url()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), "must start with postgres:// or postgresql://")
    .optional(),
  /**
   * What the web server and workers do at start when DATABASE_URL's role is a superuser, may run DDL or
   * lacks DML on a table: refuse to start (enforce, the default), log it (warn) or nothing (off).
   */
  DATABASE_PRIVILEGE_CHECK: z.enum(["enforce", "warn", "off"]).default("enforce"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

  KAFKA_BROKERS: z
    .string()
    .regex(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, "comma-separated host:port list, e.g. 127.0.0.1:9092")
    .default("127.0.0.1:9092"),
  KAFKA_CLIENT_ID: z.string().min(1).default("tickstream"),
  /**
   * SASL for this process's connections (lib/kafka/connection.ts); with it, KAFKA_USERNAME and
   * KAFKA_PASSWORD. npm start sets all three per process for the local broker (or from
   * KAFKA_CREDENTIALS_FILE); set them yourself only to run one process by hand.
   */
  KAFKA_SASL_MECHANISM: z.enum(["scram-sha-256", "scram-sha-512", "plain"]).optional(),
  KAFKA_USERNAME: z.string().min(1).optional(),
  KAFKA_PASSWORD: z.string().min(1).optional(),
  /** TLS to the brokers; KAFKA_SSL_CA_FILE adds a PEM file of CAs to trust besides the system's. */
  KAFKA_SSL: booleanSchema.default(false),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  /** JSON file of the users of an external broker, one per process (README, "Kafka security"). */
  KAFKA_CREDENTIALS_FILE: z.string().min(1).optional(),
  TOPIC_TICKS: z.string().min(1).default(DEFAULT_TOPICS.ticks),
  TOPIC_KPIS: z.string().min(1).default(DEFAULT_TOPICS.kpis),
  TOPIC_TICKS_DLQ: z.string().min(1).default(DEFAULT_TOPICS.ticksDlq),
  TICKS_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  STREAM_GROUP_ID: z.string().min(1).default("tickstream-stream"),
  /**
   * How long the group waits for a silent member before moving its partitions (broker minimum: 6 s).
   * kafkajs has no static membership, so after a kill -9 a new worker waits this long for the dead
   * member's partitions, unless npm start's supervisor hands it the dead member's id
   * (STREAM_HANDED_OVER_MEMBER_ID): the broker's minimum keeps that failover under 10 s. A batch must finish
   * within it (batches take well under a second); a member that misses it only causes a rebalance, and
   * the offsets stored with the rows keep every batch exactly once.
   */
  STREAM_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(6_000),
  /**
   * Set by `npm start`'s supervisor when it restarts a stream worker that died: the dead worker's member
   * id in its consumer group, which the new worker joins as, so that it gets the partitions at once
   * instead of after the dead member's session (lib/kafka/member-handover.ts). Not for hand setting.
   */
  STREAM_HANDED_OVER_MEMBER_ID: z.string().min(1).optional(),

  INGEST_SOURCE: z.enum(["replay", "yahoo", "synthetic"]).default("replay"),
  DEFAULT_SYMBOLS: symbolListSchema.default([
    "AAPL",
    "MSFT",
    "GOOG",
    "AMZN",
    "TSLA",
    "NVDA",
    "META",
    "SPY",
    "QQQ",
  ]),
  REPLAY_BACKFILL_DAYS: z.coerce.number().int().min(0).max(30).default(5),
  REPLAY_DATA_DIR: z.string().min(1).default("data/minute-bars"),
  SYNTHETIC_SEED: z.coerce.number().int().default(42),
  SYNTHETIC_BARS_PER_SECOND: z.coerce.number().positive().max(1_000_000).default(1),
  YAHOO_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  YAHOO_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  YAHOO_BACKFILL_DAYS: z.coerce.number().int().min(0).max(29).default(0),
  INGEST_BUFFER_MAX: z.coerce.number().int().min(100).max(10_000_000).default(100_000),

  KPI_WINDOWS: minutesListSchema.default([5, 15, 60]),
  EXCHANGE_TIMEZONE: z
    .string()
    .refine((tz) => isValidTimeZone(tz), "an IANA time zone such as America/New_York")
    .default("America/New_York"),
  BAR_FINAL_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** The stream worker dead-letters a bar that starts more than this after its clock (host clock skew). */
  FUTURE_BAR_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Events for symbols not in `symbols`: dead-lettered (reject) or registered as external (register). */
  UNKNOWN_SYMBOLS: unknownSymbolsModeSchema.default("reject"),
  /** Register mode stops registering once this many symbols (not removed) are registered. */
  MAX_REGISTERED_SYMBOLS: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  /** Symbols whose state the stream worker keeps in memory; the least recently used are evicted. */
  STREAM_MAX_CACHED_SYMBOLS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  /**
   * Bars the stream worker keeps in memory over all those symbols' states (the bound that tracks its
   * memory: ≈ 250 bytes a bar); the least recently used symbols are evicted beyond it. A state holds its
   * newest bar's day and up to 520 bars before it (trimSeries): 1,000 symbols trading around the clock
   * hold about 2,000,000.
   */
  STREAM_MAX_CACHED_BARS: z.coerce.number().int().min(1_000).max(100_000_000).default(2_000_000),
  /**
   * Most bytes the stream worker fetches per partition per request, which bounds a batch (one
   * transaction): smaller batches hold less in memory and can be interrupted more often, larger ones
   * spread each transaction's fixed cost over more events: each batch writes a day row, window rows and
   * a live update per symbol it touches, whatever its number of bars. In alternated drains (before the
   * next fetch overlapped the last commit) 2 MiB drained a backlog of 1,000 symbols about a fifth faster
   * than 1 MiB and one of 10,000 symbols about half again as fast, for up to 120 MiB more peak RSS with
   * 1,000 symbols and overlapping ranges with 10,000 (README, "Tenth step"). A partition holds up to two
   * batches at once: one being applied while the next is fetched.
   */
  STREAM_FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(64 * 1_048_576)
    .default(2 * 1_048_576),
  RAW_TICKS_RETENTION_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(48),
  /**
   * Hosts (names or addresses, comma-separated; `*` for all) that webhooks may reach although they are
   * private or local addresses (lib/alerts/webhook-url.ts); any other such address is refused.
   */
  WEBHOOK_ALLOWED_HOSTS: z.string().default(""),
  /** Attempts per webhook delivery before it is marked failed (lib/alerts/webhook-retry.ts). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** Time limit of one webhook attempt, from connecting to the response's status line. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),

  HOST: z.string().min(1).default("0.0.0.0"),
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For/-Proto/-Host are believed; from
   * any other peer they are replaced by the socket's address and scheme (lib/http/forwarded-headers.ts).
   */
  TRUSTED_PROXIES: z
    .string()
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().refine(isAddressOrRange, "addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8")))
    .default([]),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  ADMIN_USERNAME: z.string().min(1).max(64).default("admin"),
  ADMIN_PASSWORD: z.string().min(8, "at least 8 characters").optional(),
  ADMIN_PASSWORD_HASH: z
    .string()
    .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, "run `npm run admin:hash-password`")
    .optional(),
  SESSION_SECRET: z.string().min(32, "at least 32 characters; `openssl rand -hex 32` makes one").optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  ADMIN_COOKIE_SECURE: booleanSchema.optional(),

  /** Interface of the workers' /metrics endpoints (0.0.0.0 to let a Prometheus elsewhere scrape them). */
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** Port of the ingest worker's /metrics (0 = no endpoint). */
  INGEST_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Port of the stream worker's /metrics (0 = no endpoint). */
  STREAM_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),

  /** Password of tickstream_bi; none by default (the private cluster generates one, README "Database roles"). */
  BI_READONLY_PASSWORD: z.string().min(8).optional(),
  /**
   * Longest a BI statement may run: the role's statement_timeout, and a watchdog in the ingest worker
   * that cancels statements past it (a role can always lift its own statement_timeout).
   */
  BI_STATEMENT_LIMIT_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Most concurrent connections of the BI role (its CONNECTION LIMIT). */
  BI_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000).default(10),
  /** Workers beat this often; health calls one stale after three missed beats (lib/kpi/pipeline-health). */
  HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(2),
};

export type Env = ReturnType<typeof parseEnv>;

function isAddressOrRange(entry: string): boolean {
  const [address = "", bits, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an environment record; throws an error listing every bad variable and its fix. `source` is
 * left as it was: createEnv deletes the empty variables of the record it reads (emptyStringAsUndefined),
 * which on process.env hid `X=""` from the rest of the process and from its children (the benchmark's
 * `BENCH_STREAM_WORKER_FLAGS=""` was read as unset).
 */
export function parseEnv(source: Record<string, string | undefined>) {
  return createEnv({
    server: envSchema,
    runtimeEnv: { ...source },
    emptyStringAsUndefined: true,
    isServer: true,
    onValidationError: (issues) => {
      const lines = issues.map((issue) => {
        const name = issue.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".");
        const value = name ? source[name.split(".")[0] ?? ""] : undefined;
        const shown = value === undefined ? "missing" : `got ${JSON.stringify(value)}`;
        return `  ${name ?? "?"}: ${issue.message} (${shown}); fix it in .env or the environment, see .env.example`;
      });
      throw new InvalidEnvError(`Invalid Tickstream configuration:\n${lines.join("\n")}`);
    },
  });
}

export class InvalidEnvError extends Error {
  override name = "InvalidEnvError";
}

let cached: Env | undefined;

/** The validated environment of this process (parsed on first use, then cached). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Parsed broker list from KAFKA_BROKERS. */
export function getKafkaBrokers(env: Pick<Env, "KAFKA_BROKERS">): string[] {
  return env.KAFKA_BROKERS.split(",").map((b) => b.trim());
}
