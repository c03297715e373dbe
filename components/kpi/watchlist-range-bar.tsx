import { formatPrice } from "@/lib/kpi/format";

/**
 * Where the last price sits between the day's low and high: a track with a marker
 * (computeDayRangePosition in lib/kpi/watchlist-view.ts), and the two bounds for screen readers.
 */
export function WatchlistRangeBar({
  position,
  low,
  high,
}: {
  position: number | null;
  low: number | null;
  high: number | null;
}) {
  if (position === null) return <span className="text-slate-400">—</span>;
  return (
    <span
      className="flex items-center gap-2"
      data-testid="watchlist-range"
      data-position={position.toFixed(4)}
      title={`Day low ${formatPrice(low)}, high ${formatPrice(high)}`}
    >
      <span className="sr-only">
        {Math.round(position * 100)}% of the day&apos;s range, low {formatPrice(low)}, high{" "}
        {formatPrice(high)}
      </span>
      <span
        aria-hidden="true"
        className="relative block h-1.5 w-20 rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <span
          className="absolute top-1/2 block size-2.5 -translate-x-1/2 -translate-y-1/2 rounded-full bg-brand ring-2 ring-white dark:ring-slate-900"
          style={{ left: `${position * 100}%` }}
        />
      </span>
    </span>
  );
}
