import { and, eq, isNull } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import type { Db, DbOrTx } from "@/lib/db/client";
import { deleteAlertRule, insertAlertRule, toAlertRule, updateAlertRule } from "@/lib/db/queries/alert-rules";
import { insertAuditEntry } from "@/lib/db/queries/audit-log";
import { alertRules } from "@/lib/db/schema";
import type { AlertRule, AlertRuleInput, AlertRuleStatus } from "@/lib/events/alert-rule";
import type { AuditAction, AuditAlertRule } from "@/lib/events/api-admin";
import { requireFollowedSymbols } from "@/lib/admin/references";
import type { AdminActor } from "@/lib/admin/symbol-admin";

// Alert rule use cases of the admin: each change and its audit entry commit together; the
// alert_rules trigger then NOTIFYs the stream workers, which re-read the rules before their next batch
// (and at least every 5 s without a notification: workers/stream/alert-runtime.ts).

function toAuditRule(rule: AlertRule): AuditAlertRule {
  const { id, version, name, condition, scope, cooldownMinutes, status } = rule;
  return { id, version, name, condition, scope, cooldownMinutes, status };
}

async function audit(
  tx: DbOrTx,
  actor: AdminActor,
  action: AuditAction,
  before: AlertRule | null,
  after: AlertRule | null,
): Promise<void> {
  await insertAuditEntry(tx, {
    actor: actor.username,
    action,
    symbol: null,
    before: before && toAuditRule(before),
    after: after && toAuditRule(after),
    clientIp: actor.clientIp,
  });
}

/** The live rule `id`, locked for the change; 404 when there is none (never made, or retired). */
async function getRuleForUpdateOrThrow(tx: DbOrTx, id: number): Promise<AlertRule> {
  const [row] = await tx
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.id, id), isNull(alertRules.deletedAt)))
    .for("update");
  if (!row) throw new ApiError("not_found", `no alert rule ${id} (it may have been deleted)`);
  return toAlertRule(row);
}

/** A rule's listed symbols are followed ones; those it listed before may stay (lib/admin/references.ts). */
async function requireScopeFollowed(
  tx: DbOrTx,
  input: AlertRuleInput,
  before: AlertRule | null,
): Promise<void> {
  if (input.scope.kind !== "symbols") return;
  const kept = before?.scope.kind === "symbols" ? before.scope.symbols : [];
  await requireFollowedSymbols(tx, "scope.symbols", input.scope.symbols, kept);
}

export async function createAlertRule(db: Db, actor: AdminActor, input: AlertRuleInput): Promise<AlertRule> {
  return db.transaction(async (tx) => {
    await requireScopeFollowed(tx, input, null);
    const rule = await insertAlertRule(tx, input);
    await audit(tx, actor, "alert_rule.create", null, rule);
    return rule;
  });
}

/** Replaces a rule's parameters (its version moves on when the condition, scope or cooldown changed). */
export async function editAlertRule(
  db: Db,
  actor: AdminActor,
  id: number,
  input: AlertRuleInput,
): Promise<{ rule: AlertRule; isChanged: boolean }> {
  return db.transaction(async (tx) => {
    const before = await getRuleForUpdateOrThrow(tx, id);
    await requireScopeFollowed(tx, input, before);
    const after = (await updateAlertRule(tx, id, input))!;
    const isChanged = JSON.stringify(toAuditRule(before)) !== JSON.stringify(toAuditRule(after));
    if (isChanged) await audit(tx, actor, "alert_rule.update", before, after);
    return { rule: after, isChanged };
  });
}

/** Pauses (the rule stops firing, history kept) or resumes a rule. */
export async function setAlertRuleStatus(
  db: Db,
  actor: AdminActor,
  id: number,
  status: AlertRuleStatus,
): Promise<{ rule: AlertRule; isChanged: boolean }> {
  return db.transaction(async (tx) => {
    const before = await getRuleForUpdateOrThrow(tx, id);
    if (before.status === status) return { rule: before, isChanged: false };
    const [row] = await tx.update(alertRules).set({ status }).where(eq(alertRules.id, id)).returning();
    const after = toAlertRule(row!);
    await audit(tx, actor, status === "paused" ? "alert_rule.pause" : "alert_rule.resume", before, after);
    return { rule: after, isChanged: true };
  });
}

/** Retires a rule (deleted_at): it stops firing; its events stay in the history with its name. */
export async function retireAlertRule(db: Db, actor: AdminActor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getRuleForUpdateOrThrow(tx, id);
    await deleteAlertRule(tx, id);
    await audit(tx, actor, "alert_rule.delete", before, null);
  });
}
