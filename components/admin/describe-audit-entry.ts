import {
  describeAlertCondition,
  describeAlertScope,
  describeCooldown,
} from "@/components/alerts/describe-alert-rule";
import {
  auditActionSchema,
  auditAlertRuleSchema,
  auditPurgeSchema,
  auditStateSchema,
  type AuditAction,
  type AuditAlertRule,
  type AuditEntry,
  type AuditState,
} from "@/lib/events/api-admin";
import { isPollingSource, type SymbolSource } from "@/lib/events/symbol";

const ACTIONS: Record<AuditAction, string> = {
  "symbol.add": "Added",
  "symbol.reactivate": "Added again",
  "symbol.pause": "Paused",
  "symbol.resume": "Resumed",
  "symbol.poll_interval": "Poll interval",
  "symbol.update": "Updated",
  "symbol.remove": "Removed",
  "symbol.purge": "Purged history",
  "session.login": "Signed in",
  "session.logout": "Signed out",
  "session.login_failed": "Failed sign-in",
  "webhook.create": "Webhook added",
  "webhook.update": "Webhook changed",
  "webhook.enable": "Webhook enabled",
  "webhook.disable": "Webhook disabled",
  "webhook.rotate_secret": "Webhook secret rotated",
  "webhook.delete": "Webhook deleted",
  "alert_rule.create": "Created alert rule",
  "alert_rule.update": "Edited alert rule",
  "alert_rule.pause": "Paused alert rule",
  "alert_rule.resume": "Resumed alert rule",
  "alert_rule.delete": "Deleted alert rule",
};

/** The parts of an alert rule a change lists, in words. */
const RULE_PARTS: [string, (rule: AuditAlertRule) => string][] = [
  ["name", (r) => JSON.stringify(r.name)],
  ["condition", (r) => describeAlertCondition(r.condition)],
  ["scope", (r) => describeAlertScope(r.scope)],
  ["cooldown", (r) => describeCooldown(r.cooldownMinutes)],
  ["status", (r) => r.status],
];

/** An alert rule's audit entry in a line: the rule as created or deleted, or what an edit changed. */
function describeAlertRuleChange(entry: Pick<AuditEntry, "before" | "after">): string {
  const before = entry.before == null ? null : auditAlertRuleSchema.safeParse(entry.before);
  const after = entry.after == null ? null : auditAlertRuleSchema.safeParse(entry.after);
  if (before?.success === false || after?.success === false) return AUDIT_DETAILS_UNAVAILABLE;
  const [b, a] = [before?.data, after?.data];
  const one = a ?? b;
  if (!one) return "";
  const title = `rule #${one.id}`;
  if (!a || !b)
    return `${title} ${JSON.stringify(one.name)}: ${describeAlertCondition(one.condition)}, ${describeAlertScope(one.scope)}, ${describeCooldown(one.cooldownMinutes)}`;
  const changes = RULE_PARTS.filter(([, show]) => show(b) !== show(a)).map(
    ([part, show]) => `${part} ${show(b)} → ${show(a)}`,
  );
  return `${title}: ${changes.join(", ")}`;
}

/** The word for each audited field, in the order a change lists them. */
const FIELDS: Record<keyof AuditState, string> = {
  status: "status",
  pollIntervalSeconds: "poll",
  statusReason: "reason",
  source: "source",
  displayName: "name",
};
const FIELD_NAMES = Object.keys(FIELDS) as (keyof AuditState)[];

/** What an entry whose recorded state this version cannot read says (a row of an older shape). */
export const AUDIT_DETAILS_UNAVAILABLE = "(details unavailable)";

function show(field: keyof AuditState, value: AuditState[keyof AuditState]): string {
  if (value === null) return "–";
  return field === "pollIntervalSeconds" ? `${value} s` : String(value);
}

/** Words for an audit action: "symbol.pause" → "Paused" (actions older versions wrote, as they are). */
export function describeAuditAction(action: string): string {
  const known = auditActionSchema.safeParse(action);
  return known.success ? ACTIONS[known.data] : action;
}

/**
 * The change an audit entry records, in a line: "status active → paused", "poll 60 s → 30 s",
 * "deleted 812 bars, 2 days, 120 windows, 0 raw ticks, 1 cursor", "" when there is nothing to say
 * (a sign-in), or AUDIT_DETAILS_UNAVAILABLE when the recorded states do not have the shape this
 * version writes. An addition names its poll interval only when the symbol's source (recorded, else
 * `defaultSource`, the deployment's) polls: elsewhere the stored default means nothing.
 */
export function describeAuditChange(
  entry: Pick<AuditEntry, "action" | "before" | "after">,
  defaultSource: SymbolSource,
): string {
  if (entry.before == null && entry.after == null) return "";
  if (entry.action.startsWith("alert_rule.")) return describeAlertRuleChange(entry);
  if (entry.action === "symbol.purge") {
    const purged = auditPurgeSchema.safeParse(entry.after);
    if (!purged.success) return AUDIT_DETAILS_UNAVAILABLE;
    const d = purged.data.deleted;
    return `deleted ${d.factPrices} bars, ${d.dailyStats} days, ${d.kpiSnapshots} windows, ${d.rawTicks} raw ticks, ${d.ingestCursors} cursor`;
  }
  const after = auditStateSchema.safeParse(entry.after);
  if (!after.success) return AUDIT_DETAILS_UNAVAILABLE;
  if (entry.before == null) {
    const isPolled = isPollingSource(after.data.source ?? defaultSource);
    return (isPolled ? (["status", "pollIntervalSeconds"] as const) : (["status"] as const))
      .map((f) => `${FIELDS[f]} ${show(f, after.data[f])}`)
      .join(", ");
  }
  const before = auditStateSchema.safeParse(entry.before);
  if (!before.success) return AUDIT_DETAILS_UNAVAILABLE;
  return FIELD_NAMES.filter((f) => before.data[f] !== after.data[f])
    .map((f) => `${FIELDS[f]} ${show(f, before.data[f])} → ${show(f, after.data[f])}`)
    .join(", ");
}
