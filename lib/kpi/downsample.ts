import type { FactBar } from "@/lib/kpi/types";

/**
 * Reduces a bar series to at most `maxPoints` points for charting, merging runs of consecutive bars:
 * open of the first, close / averages of the last, high max, low min, volume summed. Series at or
 * under the limit are returned as they are. Long ranges stay fast in the browser this way.
 */
export function downsampleBars(bars: readonly FactBar[], maxPoints: number): FactBar[] {
  if (bars.length <= maxPoints || maxPoints < 1) return [...bars];
  const size = Math.ceil(bars.length / maxPoints);
  const out: FactBar[] = [];
  for (let i = 0; i < bars.length; i += size) {
    const group = bars.slice(i, i + size);
    const first = group[0]!;
    const last = group[group.length - 1]!;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    for (const b of group) {
      high = Math.max(high, b.high);
      low = Math.min(low, b.low);
      volume += b.volume;
    }
    out.push({ ...last, ts: first.ts, open: first.open, high, low, volume });
  }
  return out;
}
