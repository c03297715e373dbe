import { and, desc, eq, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { bulkUpsert } from "@/lib/db/queries/bulk-upsert";
import { alertEvents, type AlertEventRow } from "@/lib/db/schema";
import type { AlertEvent } from "@/lib/events/alert-event";
import type { AlertConditionType, AlertFiring } from "@/lib/kpi/alert-rules";
import type { StoredAlert } from "@/lib/kpi/alert-span";

/** The columns of an alert_events row that carry an {@link AlertEvent}; `updatedAt` is bookkeeping. */
export type AlertEventColumns = Omit<AlertEventRow, "updatedAt">;

// Each other's inverse, spreading every other field: a column without an AlertEvent field (or the
// reverse) fails typecheck in one of them.

export function toAlertEvent({
  updatedAt: _updatedAt,
  barTs,
  firedAt,
  retractedAt,
  ...columns
}: AlertEventRow): AlertEvent {
  return {
    ...columns,
    barTs: barTs.getTime(),
    firedAt: firedAt.getTime(),
    retractedAt: retractedAt === null ? null : retractedAt.getTime(),
  };
}

export function toAlertEventColumns(event: AlertEvent): AlertEventColumns {
  return {
    ...event,
    barTs: new Date(event.barTs),
    firedAt: new Date(event.firedAt),
    retractedAt: event.retractedAt === null ? null : new Date(event.retractedAt),
  };
}

/** A firing with its rule's type, as the pipeline writes it. */
export type NewAlertEvent = AlertFiring & { ruleType: AlertConditionType };

/**
 * Inserts new events in one statement. A row that already exists for the same (rule, symbol, bar) is
 * left as it is: a retried batch cannot double an event, and an event of an earlier rule version keeps
 * its bar.
 */
export async function insertAlertEvents(
  tx: DbOrTx,
  events: readonly NewAlertEvent[],
  firedAt: Date,
): Promise<void> {
  await bulkUpsert(
    tx,
    alertEvents,
    events.map((e) => ({
      ruleId: e.ruleId,
      ruleVersion: e.ruleVersion,
      ruleType: e.ruleType,
      symbol: e.symbol,
      barTs: new Date(e.barTs),
      values: e.values,
      firedAt,
    })),
    ["ruleId", "symbol", "barTs"],
    "nothing",
  );
}

/** Events that fire again (retracted before) or whose values a revision changed: active, revision + 1. */
export async function reviseAlertEvents(tx: DbOrTx, events: readonly AlertFiring[]): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(sql`
    update ${alertEvents} e
    set "values" = u.values, "retracted_at" = null, "retract_reason" = null,
        "revision" = e."revision" + 1, "updated_at" = now()
    from unnest(
      cast(${sql.param(events.map((e) => e.ruleId))} as bigint[]),
      cast(${sql.param(events.map((e) => e.symbol))} as text[]),
      cast(${sql.param(events.map((e) => new Date(e.barTs).toISOString()))} as timestamptz[]),
      cast(${sql.param(events.map((e) => JSON.stringify(e.values)))} as jsonb[])
    ) as u(rule_id, symbol, bar_ts, values)
    where e."rule_id" = u.rule_id and e."symbol" = u.symbol and e."bar_ts" = u.bar_ts`);
}

/** Retracts active events (the row stays, with when and why). */
export async function retractAlertEvents(
  tx: DbOrTx,
  events: readonly Pick<StoredAlert, "ruleId" | "symbol" | "barTs">[],
  reason: string,
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(sql`
    update ${alertEvents} e
    set "retracted_at" = ${at.toISOString()}, "retract_reason" = ${reason},
        "revision" = e."revision" + 1, "updated_at" = now()
    from unnest(
      cast(${sql.param(events.map((e) => e.ruleId))} as bigint[]),
      cast(${sql.param(events.map((e) => e.symbol))} as text[]),
      cast(${sql.param(events.map((e) => new Date(e.barTs).toISOString()))} as timestamptz[])
    ) as u(rule_id, symbol, bar_ts)
    where e."rule_id" = u.rule_id and e."symbol" = u.symbol and e."bar_ts" = u.bar_ts
      and e."retracted_at" is null`);
}

/** One symbol's span: its events with bar ts >= `from` are read (and then compared). */
export type AlertSpanQuery = { symbol: string; from: number };

/**
 * The events (active or retracted, every rule version) of each symbol with bar ts >= its `from`, in
 * one statement. Locked (FOR UPDATE): two workers recomputing the same span (a zombie member during a
 * rebalance) then serialise instead of both inserting.
 */
export async function listAlertEventsInSpans(
  tx: DbOrTx,
  spans: readonly AlertSpanQuery[],
): Promise<StoredAlert[]> {
  if (spans.length === 0) return [];
  const result = await tx.execute<{
    rule_id: string | number;
    rule_version: number;
    symbol: string;
    bar_ts: string | Date;
    values: Record<string, number | null>;
    is_retracted: boolean;
  }>(sql`
    select e."rule_id", e."rule_version", e."symbol", e."bar_ts", e."values", e."retracted_at" is not null as is_retracted
    from unnest(
      cast(${sql.param(spans.map((s) => s.symbol))} as text[]),
      cast(${sql.param(spans.map((s) => new Date(s.from).toISOString()))} as timestamptz[])
    ) as s(symbol, from_ts)
    join ${alertEvents} e on e."symbol" = s.symbol and e."bar_ts" >= s.from_ts
    for update of e`);
  return result.rows.map((r) => ({
    ruleId: Number(r.rule_id),
    ruleVersion: r.rule_version,
    symbol: r.symbol,
    barTs: new Date(r.bar_ts).getTime(),
    values: r.values,
    isRetracted: r.is_retracted,
  }));
}

/** Newest events first, optionally of one symbol or rule. */
export async function listAlertEvents(
  db: DbOrTx,
  options: { limit: number; symbol?: string; ruleId?: number },
): Promise<AlertEvent[]> {
  const conditions: SQL[] = [];
  if (options.symbol !== undefined) conditions.push(eq(alertEvents.symbol, options.symbol));
  if (options.ruleId !== undefined) conditions.push(eq(alertEvents.ruleId, options.ruleId));
  const rows = await db
    .select()
    .from(alertEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(alertEvents.barTs), desc(alertEvents.id))
    .limit(options.limit);
  return rows.map(toAlertEvent);
}

/** An active symbol's newest stored bar and the market state the ingest worker last reported. */
export type SymbolLastBar = { symbol: string; lastBarTs: number | null; marketState: string | null };

/** Active symbols (all, or those listed) with their newest bar in fact_prices, for the stale-data sweep. */
export async function listSymbolLastBars(
  db: DbOrTx,
  only: readonly string[] | null,
): Promise<SymbolLastBar[]> {
  const filter = only === null ? sql`true` : sql`s."symbol" = any(${sql.param([...only])}::text[])`;
  const result = await db.execute<{
    symbol: string;
    market_state: string | null;
    last_ts: string | Date | null;
  }>(sql`
    select s."symbol", s."market_state",
           (select max(p."ts") from "fact_prices" p where p."symbol" = s."symbol") as last_ts
    from "symbols" s
    where s."status" = 'active' and ${filter}`);
  return result.rows.map((r) => ({
    symbol: r.symbol,
    marketState: r.market_state,
    lastBarTs: r.last_ts === null ? null : new Date(r.last_ts).getTime(),
  }));
}
