import type { AlertView } from "@/lib/events/api-alerts";

/** Which alerts a list shows: all, or those of one symbol and/or one rule (the history's filters). */
export type AlertFilter = { symbol: string | null; ruleId: number | null };

export function matchesAlertFilter(alert: AlertView, filter: AlertFilter): boolean {
  return (
    (filter.symbol === null || alert.symbol === filter.symbol) &&
    (filter.ruleId === null || alert.ruleId === filter.ruleId)
  );
}

/**
 * Folds live alerts into a list held newest first (by id). A state of an alert replaces the held one
 * only when its revision is higher: an event and a REST answer may arrive in either order, and an older
 * state never overwrites a newer one. New alerts that match `filter` join the list, which keeps at most
 * `limit` entries; returns `current` itself when nothing changed.
 */
export function mergeAlerts(
  current: readonly AlertView[],
  incoming: readonly AlertView[],
  filter: AlertFilter,
  limit: number,
): AlertView[] {
  const byId = new Map(current.map((a) => [a.id, a]));
  let isChanged = false;
  for (const alert of incoming) {
    const held = byId.get(alert.id);
    if (held ? held.revision >= alert.revision : !matchesAlertFilter(alert, filter)) continue;
    byId.set(alert.id, alert);
    isChanged = true;
  }
  if (!isChanged) return current as AlertView[];
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}
