import {
  applyCooldown,
  findAlertCandidates,
  type AlertFiring,
  type AlertRuleSpec,
  type AlertValues,
} from "@/lib/kpi/alert-rules";
import type { FactBar } from "@/lib/kpi/types";

/** An event as stored, reduced to what the span recomputation compares. */
export type StoredAlert = {
  ruleId: number;
  ruleVersion: number;
  symbol: string;
  barTs: number;
  values: AlertValues;
  isRetracted: boolean;
};

/** What the recomputation of a span changes in alert_events. */
export type AlertSpanDiff = {
  /** New events (no row for their key yet). */
  inserted: AlertFiring[];
  /** Retracted rows that fire again, or active rows whose values changed: updated in place. */
  updated: AlertFiring[];
  /** Active rows that no longer fire (a revision undid the condition, or the cooldown now hides them). */
  retracted: StoredAlert[];
};

/**
 * The events of `rules` for one symbol at its final bars from index `from` on, with each rule's
 * cooldown seeded by `lastFiredBefore` (rule id → bar ts of its newest active event before bars[from],
 * same rule version). Equal to evaluating the whole history in ts order when the seeds are right,
 * because no condition before `from` changed.
 */
export function computeAlertFirings(
  symbol: string,
  bars: readonly FactBar[],
  from: number,
  rules: readonly AlertRuleSpec[],
  lastFiredBefore: ReadonlyMap<number, number>,
): AlertFiring[] {
  const out: AlertFiring[] = [];
  for (const rule of rules) {
    const candidates = findAlertCandidates(rule.condition, bars, from);
    if (candidates.length === 0) continue;
    const kept = applyCooldown(candidates, rule.cooldownMinutes, lastFiredBefore.get(rule.id) ?? null);
    for (const c of kept) out.push({ ...c, ruleId: rule.id, ruleVersion: rule.version, symbol });
  }
  return out;
}

const keyOf = (e: { ruleId: number; symbol: string; barTs: number }) =>
  `${e.ruleId}\u0000${e.symbol}\u0000${e.barTs}`;

function isSameValues(a: AlertValues, b: AlertValues): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Compares the recomputed events of a span with the rows stored for it (same rules, same versions,
 * bar ts within the span). Rows are never deleted: one that no longer fires is retracted, and comes
 * back (updated) if a later revision makes it fire again.
 */
export function diffAlertSpan(
  computed: readonly AlertFiring[],
  stored: readonly StoredAlert[],
): AlertSpanDiff {
  const byKey = new Map(stored.map((s) => [keyOf(s), s]));
  const firing = new Set<string>();
  const diff: AlertSpanDiff = { inserted: [], updated: [], retracted: [] };
  for (const event of computed) {
    const key = keyOf(event);
    firing.add(key);
    const row = byKey.get(key);
    if (!row) diff.inserted.push(event);
    else if (row.isRetracted || !isSameValues(row.values, event.values)) diff.updated.push(event);
  }
  for (const row of stored) if (!row.isRetracted && !firing.has(keyOf(row))) diff.retracted.push(row);
  return diff;
}
