import { MINUTE_MS } from "@/lib/kpi/durations";

/**
 * The newest bar start that is final by time alone at `now`: its minute and the grace period after it
 * (for late revisions of the source) are over. The database sweep finalizes every bar up to it.
 */
export function computeLastFinalTs(now: number, graceMs: number): number {
  return now - MINUTE_MS - graceMs;
}

/**
 * Whether a bar is final: a later bar of its symbol exists (the source has moved on), or it is the
 * newest and `ts + 1 min + grace <= now`.
 */
export function isBarFinal(bar: { ts: number }, isNewest: boolean, now: number, graceMs: number): boolean {
  return !isNewest || bar.ts <= computeLastFinalTs(now, graceMs);
}
