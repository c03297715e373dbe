import { memo } from "react";

import type { SparkPoint } from "@/lib/kpi/watchlist-row";
import { cn } from "@/lib/utils";

const WIDTH = 112;
const HEIGHT = 28;

/** The SVG path of a line through the closes, scaled to the box (time on x, close on y). */
function toPath(points: readonly SparkPoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "";
  let min = Infinity;
  let max = -Infinity;
  for (const [, close] of points) {
    min = Math.min(min, close);
    max = Math.max(max, close);
  }
  const span = last[0] - first[0] || 1;
  const height = max - min || 1;
  return points
    .map(([ts, close], i) => {
      const x = ((ts - first[0]) / span) * WIDTH;
      // A flat day is drawn mid-height rather than along an edge.
      const y = max === min ? HEIGHT / 2 : HEIGHT - 1 - ((close - min) / height) * (HEIGHT - 2);
      return `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join("");
}

/**
 * The day's closes as a plain SVG path: a few hundred of them update every second, which recharts'
 * layout and animation would make too slow; memoised on the points array, which a merge only replaces
 * for the symbol that changed.
 */
export const WatchlistSparkline = memo(function WatchlistSparkline({
  points,
  direction,
}: {
  points: readonly SparkPoint[];
  direction: "up" | "down" | "flat";
}) {
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      aria-hidden="true"
      data-testid="watchlist-sparkline"
      data-points={points.length}
      className={cn(
        "block",
        direction === "up" ? "text-up" : direction === "down" ? "text-down" : "text-slate-400",
      )}
    >
      {points.length > 1 && (
        <path d={toPath(points)} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
      )}
    </svg>
  );
});
