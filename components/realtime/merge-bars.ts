import type { FactBar } from "@/lib/kpi/types";

/**
 * Merges bars into a sorted series by bar start: a bar with a known ts replaces it (the newer
 * revision or recomputed averages), a new ts is inserted in order. Merging the same bars twice, or a
 * REST backfill that overlaps live updates, never duplicates a point; order of arrival does not matter
 * as long as later revisions are merged later.
 */
export function mergeBars(series: readonly FactBar[], incoming: readonly FactBar[]): FactBar[] {
  if (incoming.length === 0) return series as FactBar[];
  const byTs = new Map<number, FactBar>();
  for (const b of series) byTs.set(b.ts, b);
  for (const b of incoming) byTs.set(b.ts, b);
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}
