import { alignCloses, computeVolumeCap, normalizeToPercent } from "@/lib/kpi/chart-series";
import { downsampleBars } from "@/lib/kpi/downsample";
import type { FactBar } from "@/lib/kpi/types";

/** Most points drawn: a full session (390) is drawn bar by bar, a wider view merges neighbours. */
export const MAX_POINTS = 400;

/** One drawn bar: `i` is its index in the whole range (the x value), so zooming keeps positions. */
export type ChartPoint = FactBar & {
  i: number;
  isUp: boolean;
  /** Close as % change from the view's first close (compare mode). */
  pct: number | null;
  /** VWAP as drawn: null on a session's first bar, so the line never joins two sessions' VWAPs. */
  vwapLine: number | null;
  /** Each compared symbol's close as % change from its first close in the view. */
  compare: Record<string, number | null>;
};

/** Indexes of the shown part of the range, both included. */
export type ViewWindow = { start: number; end: number };

/**
 * The points of the window `view` of `bars`: merged down to MAX_POINTS when wider, with the compared
 * symbols' closes aligned to the bars' times and normalised from the window's start.
 */
export function toChartPoints(
  bars: readonly FactBar[],
  view: ViewWindow,
  compareBars: ReadonlyMap<string, readonly FactBar[]>,
): ChartPoint[] {
  const slice = bars.slice(view.start, view.end + 1);
  const size = slice.length > MAX_POINTS ? Math.ceil(slice.length / MAX_POINTS) : 1;
  const merged = size > 1 ? downsampleBars(slice, MAX_POINTS) : slice;
  const pct = compareBars.size > 0 ? normalizeToPercent(merged.map((b) => b.close)) : [];
  const ts = merged.map((b) => b.ts);
  const compared = [...compareBars].map(
    ([symbol, other]) => [symbol, normalizeToPercent(alignCloses(ts, other))] as const,
  );
  return merged.map((b, k) => ({
    ...b,
    i: view.start + k * size,
    isUp: b.close >= b.open,
    vwapLine: k > 0 && merged[k - 1]!.tradeDate !== b.tradeDate ? null : b.vwap,
    pct: pct[k] ?? null,
    compare: Object.fromEntries(compared.map(([symbol, values]) => [symbol, values[k] ?? null])),
  }));
}

/** The volume axis's top for the shown points (see computeVolumeCap); 1 when nothing traded. */
export function getVolumeTop(points: readonly ChartPoint[]): number {
  return computeVolumeCap(points.map((p) => p.volume)) || 1;
}
