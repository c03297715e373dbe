import { purgeResponseSchema, type AuditEntry } from "@/lib/events/api-admin";
import { isPollingSource, symbolSourceSchema, type SymbolSource } from "@/lib/events/symbol";

const ACTIONS: Record<string, string> = {
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
};

const FIELDS: Record<string, string> = {
  status: "status",
  pollIntervalSeconds: "poll",
  statusReason: "reason",
  source: "source",
  displayName: "name",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function show(field: string, value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (field === "pollIntervalSeconds" && typeof value === "number") return `${value} s`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Words for an audit action: "symbol.pause" → "Paused" (unknown actions as they are). */
export function describeAuditAction(action: string): string {
  return ACTIONS[action] ?? action;
}

/**
 * The change an audit entry records, in a line: "status active → paused", "poll 60 s → 30 s",
 * "deleted 812 bars, 2 days, 120 windows, 0 raw ticks, 1 cursor", or "" when there is nothing to say.
 * An addition names its poll interval only when the symbol's source (recorded, else `defaultSource`,
 * the deployment's) polls: elsewhere the stored default means nothing.
 */
export function describeAuditChange(
  entry: Pick<AuditEntry, "action" | "before" | "after">,
  defaultSource: SymbolSource,
): string {
  const { before, after } = entry;
  // A purge records what POST …/purge answered: rows deleted per table.
  const purged =
    entry.action === "symbol.purge" && isRecord(after)
      ? purgeResponseSchema.shape.deleted.safeParse(after.deleted)
      : null;
  if (purged?.success) {
    const d = purged.data;
    return `deleted ${d.factPrices ?? 0} bars, ${d.dailyStats ?? 0} days, ${d.kpiSnapshots ?? 0} windows, ${d.rawTicks ?? 0} raw ticks, ${d.ingestCursors ?? 0} cursor`;
  }
  if (!isRecord(after)) return "";
  if (!isRecord(before)) {
    const recorded = symbolSourceSchema.safeParse(after.source);
    const isPolled = isPollingSource(recorded.success ? recorded.data : defaultSource);
    return (isPolled ? ["status", "pollIntervalSeconds"] : ["status"])
      .map((f) => `${FIELDS[f]} ${show(f, after[f])}`)
      .join(", ");
  }
  return Object.keys(FIELDS)
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => `${FIELDS[f]} ${show(f, before[f])} → ${show(f, after[f])}`)
    .join(", ");
}
