import { and, asc, eq, inArray, isNull } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { alertRules, type AlertRuleRow, type NewAlertRuleRow } from "@/lib/db/schema";
import { alertConditionSchema, type AlertRule, type AlertRuleInput } from "@/lib/events/alert-rule";
import type { Logger } from "@/lib/log";

// Mappers between alert_rules rows and the AlertRule shape (lib/events/alert-rule.ts). The condition is
// parsed on every read: the column is jsonb, and a row written by hand must not reach the evaluation
// unchecked.

export function toAlertRule(row: AlertRuleRow): AlertRule {
  const { id, name, status, version, cooldownMinutes, createdAt, updatedAt } = row;
  return {
    id,
    name,
    condition: alertConditionSchema.parse(row.condition),
    scope: row.scope === "all" ? { kind: "all" } : { kind: "symbols", symbols: row.symbols },
    cooldownMinutes,
    status,
    version,
    createdAt: createdAt.getTime(),
    updatedAt: updatedAt.getTime(),
  };
}

export function toAlertRuleColumns(
  input: AlertRuleInput,
): Omit<NewAlertRuleRow, "id" | "version" | "deletedAt" | "createdAt" | "updatedAt"> {
  return {
    name: input.name,
    condition: input.condition,
    ruleType: input.condition.type,
    scope: input.scope.kind,
    symbols: input.scope.kind === "symbols" ? input.scope.symbols : [],
    cooldownMinutes: input.cooldownMinutes,
    status: input.status,
  };
}

export async function insertAlertRule(db: DbOrTx, input: AlertRuleInput): Promise<AlertRule> {
  const [row] = await db.insert(alertRules).values(toAlertRuleColumns(input)).returning();
  return toAlertRule(row!);
}

/** Replaces a rule's parameters; the database bumps its version when the condition, scope or cooldown changed. */
export async function updateAlertRule(
  db: DbOrTx,
  id: number,
  input: AlertRuleInput,
): Promise<AlertRule | null> {
  const [row] = await db
    .update(alertRules)
    .set(toAlertRuleColumns(input))
    .where(and(eq(alertRules.id, id), isNull(alertRules.deletedAt)))
    .returning();
  return row ? toAlertRule(row) : null;
}

/** Which of `ids` are rules that are not deleted. */
export async function listLiveAlertRuleIds(db: DbOrTx, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: alertRules.id })
    .from(alertRules)
    .where(and(inArray(alertRules.id, [...ids]), isNull(alertRules.deletedAt)));
  return new Set(rows.map((r) => r.id));
}

/** Retires a rule: it stops firing; its events keep referring to it. */
export async function deleteAlertRule(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .update(alertRules)
    .set({ deletedAt: new Date() })
    .where(and(eq(alertRules.id, id), isNull(alertRules.deletedAt)))
    .returning({ id: alertRules.id });
  return rows.length > 0;
}

/**
 * The rules that are not deleted, oldest first. A row whose condition fails its schema is skipped with
 * a log line (when a logger is given) rather than stopping every other rule.
 */
export async function listAlertRules(db: DbOrTx, logger?: Logger): Promise<AlertRule[]> {
  const rows = await db
    .select()
    .from(alertRules)
    .where(isNull(alertRules.deletedAt))
    .orderBy(asc(alertRules.id));
  const out: AlertRule[] = [];
  for (const row of rows) {
    const condition = alertConditionSchema.safeParse(row.condition);
    if (condition.success) out.push(toAlertRule(row));
    else
      logger?.warn(
        { ruleId: row.id, issues: condition.error.issues.slice(0, 3) },
        "alert rule skipped: invalid condition",
      );
  }
  return out;
}
