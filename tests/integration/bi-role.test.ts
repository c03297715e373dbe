import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertAlertEvents } from "@/lib/db/queries/alert-events";
import { insertAlertRule } from "@/lib/db/queries/alert-rules";
import { insertDeadLetters } from "@/lib/db/queries/dead-letters";

import { BI_ROLE, BI_VIEWS, connectAsBiRole, fillWithRecordedBars, getErrorCode } from "./bi-helpers";
import { BI_ALERT_RULES, insertBiWebhookEndpoint, settleBiDeliveries } from "./support/bi-alerts";
import { createTestDatabase, runCleanup, type TestDatabase } from "./helpers";

/** SQLSTATE 42501: insufficient_privilege. */
const DENIED = "42501";
/** SQLSTATE 25006: read_only_sql_transaction (the role's default_transaction_read_only). */
const READ_ONLY = "25006";

/** The documented interface (bi/README.md): every column of every bi view with its PostgreSQL type. */
const DOCUMENTED_COLUMNS: Record<(typeof BI_VIEWS)[number], string[]> = {
  alert_events: [
    "id bigint",
    "rule_id bigint",
    "rule_name text",
    "rule_type text",
    "rule_version integer",
    "symbol text",
    "bar_ts timestamp with time zone",
    "values jsonb",
    "fired_at timestamp with time zone",
    "retracted_at timestamp with time zone",
    "retract_reason text",
    "revision integer",
    "is_active boolean",
  ],
  price_trend: [
    "symbol text",
    "ts timestamp with time zone",
    "trade_date date",
    "open double precision",
    "high double precision",
    "low double precision",
    "close double precision",
    "volume bigint",
    "ma_5 double precision",
    "ma_20 double precision",
    "ema_20 double precision",
    "vwap double precision",
    "is_final boolean",
  ],
  volume_trend: [
    "symbol text",
    "ts timestamp with time zone",
    "trade_date date",
    "volume bigint",
    "close double precision",
    "cumulative_volume bigint",
  ],
  daily_high_low: [
    "symbol text",
    "trade_date date",
    "open double precision",
    "high double precision",
    "low double precision",
    "close double precision",
    "volume bigint",
    "prev_close double precision",
    "change_pct double precision",
    "day_range double precision",
    "range_pct double precision",
    "vwap double precision",
    "bar_count integer",
    "first_bar_at timestamp with time zone",
    "last_bar_at timestamp with time zone",
  ],
  window_kpis: [
    "window_minutes integer",
    "window_start timestamp with time zone",
    "window_end timestamp with time zone",
    "symbol text",
    "avg_price double precision",
    "vwap double precision",
    "total_volume bigint",
    "gain_pct double precision",
    "first_open double precision",
    "last_close double precision",
    "high double precision",
    "low double precision",
    "bar_count integer",
  ],
  top_movers: [
    "window_minutes integer",
    "window_start timestamp with time zone",
    "window_end timestamp with time zone",
    "symbol text",
    "gain_pct double precision",
    "last_close double precision",
    "total_volume bigint",
    "gainer_rank bigint",
    "loser_rank bigint",
  ],
  dead_letters: [
    "source_topic text",
    "source_partition integer",
    "source_offset bigint",
    "message_key text",
    "reason_class text",
    "reason text",
    "value_bytes integer",
    "failed_at timestamp with time zone",
    "published_at timestamp with time zone",
  ],
  latest_movers: [
    "window_minutes integer",
    "window_start timestamp with time zone",
    "window_end timestamp with time zone",
    "symbol text",
    "gain_pct double precision",
    "last_close double precision",
    "total_volume bigint",
    "gainer_rank bigint",
    "loser_rank bigint",
  ],
  pipeline_freshness: [
    "symbol text",
    "status text",
    "source text",
    "market_state text",
    "last_published_bar_at timestamp with time zone",
    "last_bar_at timestamp with time zone",
    "last_written_at timestamp with time zone",
    "seconds_since_write double precision",
    "bar_age_seconds double precision",
  ],
  webhook_deliveries: [
    "id bigint",
    "endpoint_id bigint",
    "endpoint_description text",
    "alert_event_id bigint",
    "event_revision integer",
    "webhook_id text",
    "event_type text",
    "rule_id bigint",
    "symbol text",
    "bar_ts timestamp with time zone",
    "status text",
    "attempts integer",
    "last_http_status integer",
    "last_error text",
    "created_at timestamp with time zone",
    "last_attempt_at timestamp with time zone",
    "next_attempt_at timestamp with time zone",
    "delivered_at timestamp with time zone",
    "delivery_seconds double precision",
  ],
};

let database: TestDatabase;
let bi: pg.Client;
/** Every relation outside `bi` and the system schemas (tables, views, sequences), as the owner sees them. */
let otherRelations: { schema: string; name: string; kind: string }[];
let publicTables: string[];
/** One column of each public table, for UPDATE statements that pass analysis and reach the privilege check. */
let firstColumns: Map<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertBiWebhookEndpoint(database.db);
  await fillWithRecordedBars(database.db, {
    symbols: ["AAPL", "MSFT"],
    days: 2,
    alertRules: BI_ALERT_RULES,
  });
  await settleBiDeliveries(database.db);
  // The recorded bars are all valid: one rejected event, as the stream worker records it.
  await insertDeadLetters(database.db, [
    {
      sourceTopic: "market.ticks",
      sourcePartition: 0,
      sourceOffset: 7,
      messageKey: "AAPL",
      value: Buffer.from("{not json"),
      valueBytes: 9,
      reasonClass: "not_json",
      reason: "not JSON",
      failedAt: new Date(),
    },
  ]);
  // One alert, as the stream worker records it.
  const rule = await insertAlertRule(database.db, {
    name: "AAPL golden cross",
    condition: { type: "ma_cross", kind: "golden" },
    scope: { kind: "symbols", symbols: ["AAPL"] },
    cooldownMinutes: 0,
    status: "enabled",
  });
  await insertAlertEvents(
    database.db,
    [
      {
        ruleId: rule.id,
        ruleVersion: rule.version,
        ruleType: "ma_cross",
        symbol: "AAPL",
        barTs: Date.parse("2026-03-16T15:00:00Z"),
        values: { prevMa5: 1, prevMa20: 1, ma5: 1.1, ma20: 1 },
      },
    ],
    new Date(),
  );
  const rows = await database.db.$client.query<{ schema: string; name: string; kind: string }>(
    `select n.nspname as schema, c.relname as name, c.relkind::text as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'v', 'm', 'p', 'S', 'f')
        and n.nspname not in ('bi', 'pg_catalog', 'information_schema', 'pg_toast')
      order by 1, 2`,
  );
  otherRelations = rows.rows;
  publicTables = otherRelations.filter((r) => r.schema === "public" && r.kind === "r").map((r) => r.name);
  const columns = await database.db.$client.query<{ table_name: string; column_name: string }>(
    // Not an identity column: updating one fails as "generated column" before the privilege check.
    `select distinct on (table_name) table_name, column_name from information_schema.columns
      where table_schema = 'public' and is_identity = 'NO' and is_generated = 'NEVER'
      order by table_name, ordinal_position`,
  );
  firstColumns = new Map(columns.rows.map((r) => [r.table_name, r.column_name]));
  bi = await connectAsBiRole(database.url);
});

afterAll(async () => {
  await runCleanup("closing the BI role's client", () => bi?.end());
  await database?.drop();
});

/** Switches the BI session to read-write, so that only privileges (not the read-only default) stop writes. */
async function withReadWriteSession<T>(run: () => Promise<T>): Promise<T> {
  await bi.query("set session characteristics as transaction read write");
  try {
    return await run();
  } finally {
    await bi.query("set session characteristics as transaction read only");
  }
}

describe("the read-only BI role", () => {
  it("is a plain login role: no superuser, createdb, createrole, replication or bypassrls; read-only by default", async () => {
    const { rows } = await bi.query<{
      rolsuper: boolean;
      rolcreatedb: boolean;
      rolcreaterole: boolean;
      rolreplication: boolean;
      rolbypassrls: boolean;
      rolinherit: boolean;
    }>(
      "select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolinherit from pg_roles where rolname = current_user",
    );
    expect(rows).toEqual([
      {
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        rolinherit: false,
      },
    ]);
    expect((await bi.query<{ current_user: string }>("select current_user")).rows[0]?.current_user).toBe(
      BI_ROLE,
    );
    expect(
      (await bi.query<{ transaction_read_only: string }>("show transaction_read_only")).rows[0]
        ?.transaction_read_only,
    ).toBe("on");
    const memberships = await bi.query(
      "select 1 from pg_auth_members m join pg_roles r on r.oid = m.member where r.rolname = current_user",
    );
    expect(memberships.rowCount).toBe(0);
  });

  it("sees exactly the ten documented bi views, with the documented columns and types", async () => {
    const views = await bi.query<{ table_name: string }>(
      "select table_name from information_schema.views where table_schema = 'bi' order by 1",
    );
    expect(views.rows.map((r) => r.table_name)).toEqual([...BI_VIEWS]);
    const columns = await bi.query<{ table_name: string; column: string }>(
      "select table_name, column_name || ' ' || data_type as column from information_schema.columns where table_schema = 'bi' order by table_name, ordinal_position",
    );
    const actual: Record<string, string[]> = {};
    for (const { table_name, column } of columns.rows) (actual[table_name] ??= []).push(column);
    expect(actual).toEqual(DOCUMENTED_COLUMNS);
  });

  it.each(BI_VIEWS)("can SELECT bi.%s and gets rows of the replayed bars", async (view) => {
    const { rows } = await bi.query<{ n: string }>(`select count(*) as n from bi.${view}`);
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  });

  it("cannot read any table, view or sequence outside bi (public.fact_prices, public.symbols, admin tables, drizzle's journal...)", async () => {
    expect(publicTables).toEqual(
      expect.arrayContaining([
        "fact_prices",
        "symbols",
        "admin_sessions",
        "admin_audit_log",
        "stream_offsets",
        "kpi_snapshots",
        "daily_stats",
      ]),
    );
    expect(otherRelations.length).toBeGreaterThanOrEqual(publicTables.length + 1);
    const outcomes: string[] = [];
    for (const r of otherRelations) {
      const sql =
        r.kind === "S"
          ? `select last_value from "${r.schema}"."${r.name}"`
          : `select * from "${r.schema}"."${r.name}" limit 1`;
      outcomes.push(`${r.schema}.${r.name}: ${(await getErrorCode(bi, sql)) ?? "readable"}`);
    }
    expect(outcomes).toEqual(otherRelations.map((r) => `${r.schema}.${r.name}: ${DENIED}`));
  });

  it("cannot INSERT, UPDATE or DELETE through the bi views, even after switching its session to read-write", async () => {
    const writes = (view: string, column: string) => [
      `insert into bi.${view} (symbol) values ('ZZZZ')`,
      `update bi.${view} set ${column} = ${column}`,
      `delete from bi.${view}`,
    ];
    const statements = [
      ...writes("price_trend", "close"),
      ...writes("daily_high_low", "close"),
      ...writes("window_kpis", "gain_pct"),
    ];
    // DML is refused on privileges before the read-only default is even consulted.
    for (const sql of statements) expect.soft(await getErrorCode(bi, sql), sql).toBe(DENIED);
    await withReadWriteSession(async () => {
      for (const sql of statements) expect.soft(await getErrorCode(bi, sql), sql).toBe(DENIED);
    });
  });

  it("cannot INSERT, UPDATE, DELETE or TRUNCATE the public tables, even after switching its session to read-write", async () => {
    await withReadWriteSession(async () => {
      for (const table of publicTables) {
        for (const sql of [
          `insert into public.${table} default values`,
          `update public.${table} set ${firstColumns.get(table)} = ${firstColumns.get(table)}`,
          `delete from public.${table}`,
          `truncate public.${table}`,
        ]) {
          expect.soft(await getErrorCode(bi, sql), sql).toBe(DENIED);
        }
      }
    });
  });

  it("cannot CREATE anything in bi or public, nor a schema, nor temporary tables", async () => {
    const statements = [
      "create table bi.evil (x int)",
      "create view bi.evil as select 1 as x",
      "create table public.evil (x int)",
      "create view public.evil as select 1 as x",
      "create function public.evil() returns int language sql as 'select 1'",
      "create schema evil",
      "create temporary table evil (x int)",
      "create temporary view evil as select 1 as x",
    ];
    for (const sql of statements) expect.soft(await getErrorCode(bi, sql), sql).toBe(READ_ONLY);
    await withReadWriteSession(async () => {
      for (const sql of statements) expect.soft(await getErrorCode(bi, sql), sql).toBe(DENIED);
    });
  });

  it("cannot send notifications (no fake symbols_changed to the workers)", async () => {
    await withReadWriteSession(async () => {
      expect(
        await getErrorCode(bi, 'select pg_notify(\'symbols_changed\', \'{"op":"UPDATE","symbol":"AAPL"}\')'),
      ).toBe(DENIED);
    });
  });

  it("cannot drop, alter or re-grant the bi views", async () => {
    await withReadWriteSession(async () => {
      for (const sql of [
        "drop view bi.price_trend",
        "alter view bi.price_trend rename to evil",
        "comment on view bi.price_trend is 'evil'",
      ]) {
        expect.soft(await getErrorCode(bi, sql), sql).toBe(DENIED);
      }
      // Without the grant option PostgreSQL only warns ("no privileges were granted"): check nothing changed.
      await bi.query("grant select on bi.price_trend to public");
    });
    const acl = await database.db.$client.query<{ acl: string }>(
      "select relacl::text as acl from pg_class where oid = 'bi.price_trend'::regclass",
    );
    expect(acl.rows[0]?.acl).not.toMatch(/(^|[{,])=/);
  });
});
