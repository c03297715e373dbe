import { and, asc, count, desc, eq, inArray, isNull, lt, max, sql, type SQL } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { toAlertEvent } from "@/lib/db/queries/alert-events";
import { toAlertRule } from "@/lib/db/queries/alert-rules";
import { alertEvents, alertRules } from "@/lib/db/schema";
import type { AdminAlertRule, AlertRuleOption, AlertView } from "@/lib/events/api-alerts";

// Read-only joins of alert_events and alert_rules for pages: the alerts panel's history, the live
// relay's re-read of notified rows, and the admin's rule list with its event counts.

const viewColumns = { event: alertEvents, ruleName: alertRules.name };

/** Alerts newest first (by id: the order they were first stored), optionally of one symbol or rule. */
export async function listAlertViews(
  db: DbOrTx,
  options: { limit: number; beforeId?: number; symbol?: string; ruleId?: number },
): Promise<AlertView[]> {
  const conditions: SQL[] = [];
  if (options.beforeId !== undefined) conditions.push(lt(alertEvents.id, options.beforeId));
  if (options.symbol !== undefined) conditions.push(eq(alertEvents.symbol, options.symbol));
  if (options.ruleId !== undefined) conditions.push(eq(alertEvents.ruleId, options.ruleId));
  const rows = await db
    .select(viewColumns)
    .from(alertEvents)
    .innerJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(alertEvents.id))
    .limit(options.limit);
  return rows.map((r) => ({ ...toAlertEvent(r.event), ruleName: r.ruleName }));
}

/** The alerts with these ids as stored now (ids without a row are absent), in id order. */
export async function getAlertViewsByIds(db: DbOrTx, ids: readonly number[]): Promise<AlertView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(viewColumns)
    .from(alertEvents)
    .innerJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
    .where(inArray(alertEvents.id, [...ids]))
    .orderBy(asc(alertEvents.id));
  return rows.map((r) => ({ ...toAlertEvent(r.event), ruleName: r.ruleName }));
}

/** Every rule, retired ones too (their events stay in the history), for the panel's rule filter. */
export async function listAlertRuleOptions(db: DbOrTx): Promise<AlertRuleOption[]> {
  const rows = await db
    .select({
      id: alertRules.id,
      name: alertRules.name,
      type: alertRules.ruleType,
      deletedAt: alertRules.deletedAt,
    })
    .from(alertRules)
    .orderBy(asc(alertRules.id));
  return rows.map((r) => ({ id: r.id, name: r.name, type: r.type, isRetired: r.deletedAt !== null }));
}

/** The rules that are not retired, with how many events each fired (active ones too) and when last. */
export async function listAdminAlertRules(db: DbOrTx, onlyId?: number): Promise<AdminAlertRule[]> {
  const conditions: SQL[] = [isNull(alertRules.deletedAt)];
  if (onlyId !== undefined) conditions.push(eq(alertRules.id, onlyId));
  const rows = await db
    .select({
      rule: alertRules,
      eventCount: count(alertEvents.id),
      activeEventCount:
        sql<number>`count(${alertEvents.id}) filter (where ${alertEvents.retractedAt} is null)`.mapWith(
          Number,
        ),
      lastFiredAt: max(alertEvents.firedAt),
    })
    .from(alertRules)
    .leftJoin(alertEvents, eq(alertEvents.ruleId, alertRules.id))
    .where(and(...conditions))
    .groupBy(alertRules.id)
    .orderBy(asc(alertRules.id));
  return rows.map((r) => ({
    ...toAlertRule(r.rule),
    eventCount: r.eventCount,
    activeEventCount: r.activeEventCount,
    lastFiredAt: r.lastFiredAt === null ? null : new Date(r.lastFiredAt).getTime(),
  }));
}
