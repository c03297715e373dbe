import { isSameFactBar } from "@/lib/kpi/shape-equality";
import type { FactBar } from "@/lib/kpi/types";

/**
 * Merges bars into a sorted series by bar start: a bar with a known ts replaces it (the newer
 * revision or recomputed averages), a new ts is inserted in order. Merging the same bars twice, or a
 * REST backfill that overlaps live updates, never duplicates a point; order of arrival does not matter
 * as long as later revisions are merged later.
 */
export function mergeBars(series: readonly FactBar[], incoming: readonly FactBar[]): FactBar[] {
  const byTs = new Map<number, FactBar>();
  for (const b of series) byTs.set(b.ts, b);
  let changed = false;
  for (const b of incoming) {
    const known = byTs.get(b.ts);
    if (known && isSameFactBar(known, b)) continue;
    byTs.set(b.ts, b);
    changed = true;
  }
  // Unchanged input keeps its identity, so memoised charts skip a re-render (e.g. a backfill that
  // brings nothing new).
  if (!changed) return series as FactBar[];
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}
