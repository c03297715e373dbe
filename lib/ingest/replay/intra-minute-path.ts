import type { Bar } from "@/lib/kpi/types";

import { MINUTE_MS } from "@/lib/kpi/durations";

/**
 * When, as a fraction of the minute, the price path reaches its waypoints: open at 0, the first
 * extreme, the second extreme, then the close a few seconds before the minute ends (so the last
 * revisions in the minute already show the recorded close).
 */
const WAYPOINT_TIMES = [0, 0.25, 0.65, 0.95] as const;

function getWaypoints(bar: Bar): readonly number[] {
  // A bar that closed up most likely dipped first; one that closed down most likely rose first.
  const [first, second] = bar.close >= bar.open ? [bar.low, bar.high] : [bar.high, bar.low];
  return [bar.open, first, second, bar.close];
}

/**
 * The bar as it stood `elapsedMs` into its minute, on a deterministic path consistent with the final
 * bar: it starts at the open (high = low = close = open, volume 0), the price moves linearly to one
 * extreme, to the other, then to the close; volume grows linearly. Running high and low never leave
 * the final bar's range, and from the end of the minute on (`elapsedMs >= 60 000`) the result is the
 * final bar exactly. `elapsedMs` below 0 counts as 0.
 */
export function computePartialBar(bar: Bar, elapsedMs: number): Bar {
  if (elapsedMs >= MINUTE_MS) return { ...bar };
  const f = Math.max(0, elapsedMs) / MINUTE_MS;
  const points = getWaypoints(bar);
  const clamp = (x: number) => Math.min(bar.high, Math.max(bar.low, x));
  let high = bar.open;
  let low = bar.open;
  let price = bar.close;
  for (let i = 1; i < WAYPOINT_TIMES.length; i++) {
    const t0 = WAYPOINT_TIMES[i - 1]!;
    const t1 = WAYPOINT_TIMES[i]!;
    const p0 = points[i - 1]!;
    const p1 = points[i]!;
    if (f >= t1) {
      high = Math.max(high, p1);
      low = Math.min(low, p1);
      continue;
    }
    price = clamp(p0 + ((p1 - p0) * (f - t0)) / (t1 - t0));
    break;
  }
  high = Math.max(high, price);
  low = Math.min(low, price);
  return {
    ts: bar.ts,
    open: bar.open,
    high: clamp(high),
    low: clamp(low),
    close: price,
    volume: Math.floor(bar.volume * f),
  };
}
