"use client";

import { memo, useMemo } from "react";
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from "recharts";

import { CandleLayer } from "@/components/chart/candle-layer";
import type { ChartPoint, ViewWindow } from "@/components/chart/chart-points";
import { ChartScaleProbe, type ChartScale } from "@/components/chart/chart-scale";
import { formatSignedPercent } from "@/components/chart/format-quote";
import { computeNiceTicks, computeTimeTicks, type SessionBreak } from "@/lib/kpi/chart-series";
import { OVERLAY_LABELS, type ChartMode, type Overlay } from "@/lib/kpi/chart-view";
import { formatBarTime } from "@/lib/kpi/format";

export const OVERLAY_COLORS: Record<Overlay, string> = {
  ma5: "var(--color-ma5)",
  ma20: "var(--color-ma20)",
  ema20: "var(--color-ema20)",
  vwap: "var(--color-vwap)",
};

/** Colours of compared symbols, in the order they were added. */
export const COMPARE_COLORS = ["#f97316", "#16a34a", "#db2777", "#ca8a04", "#0d9488"];

type Props = {
  points: ChartPoint[];
  view: ViewWindow;
  /** x distance between neighbouring points (1 unless bars were merged). */
  step: number;
  mode: ChartMode;
  overlays: readonly Overlay[];
  compare: readonly string[];
  breaks: readonly SessionBreak[];
  timeZone: string;
  multiDay: boolean;
  onScale: (scale: ChartScale) => void;
};

/** The y range the shown points need, with 4% headroom each side. */
function computeDomain(
  points: readonly ChartPoint[],
  mode: ChartMode,
  overlays: readonly Overlay[],
  compare: readonly string[],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const p of points) {
    if (compare.length > 0) {
      see(p.pct);
      for (const s of compare) see(p.compare[s]);
      continue;
    }
    if (mode === "line") see(p.close);
    else {
      see(p.low);
      see(p.high);
    }
    for (const o of overlays) see(p[o]);
  }
  if (lo === Infinity) return [0, 1];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.04;
  return [lo - pad, hi + pad];
}

/**
 * The price pane: candles, OHLC bars or a close line, the picked overlays, and, when comparing,
 * every symbol as % change from the view's start. The x axis counts bars, not minutes, as trading
 * charts do: nights and weekends take no room, and a dashed line marks where each session starts.
 */
export const PriceChart = memo(function PriceChart({
  points,
  view,
  step,
  mode,
  overlays,
  compare,
  breaks,
  timeZone,
  multiDay,
  onScale,
}: Props) {
  const isComparing = compare.length > 0;
  const xDomain = useMemo<[number, number]>(
    () => [view.start - step / 2, view.end + step / 2],
    [view.start, view.end, step],
  );
  const yDomain = useMemo(
    () => computeDomain(points, mode, overlays, compare),
    [points, mode, overlays, compare],
  );
  const yTicks = useMemo(() => computeNiceTicks(yDomain[0], yDomain[1]), [yDomain]);
  const tsByIndex = useMemo(() => new Map(points.map((p) => [p.i, p.ts])), [points]);
  const xTicks = useMemo(
    () =>
      computeTimeTicks(
        points.filter((p) => p.i >= view.start && p.i <= view.end),
        timeZone,
      ),
    [points, view.start, view.end, timeZone],
  );
  const tickFormatter = (i: number) => {
    const nearest = points[Math.max(0, Math.min(points.length - 1, Math.round((i - view.start) / step)))];
    return formatBarTime(tsByIndex.get(i) ?? nearest?.ts, timeZone, multiDay);
  };
  const shownBreaks = breaks.filter((b) => b.index > view.start && b.index <= view.end);
  return (
    <div className="h-80 w-full" data-testid="price-pane">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis
            dataKey="i"
            type="number"
            domain={xDomain}
            allowDataOverflow
            ticks={xTicks}
            tickFormatter={tickFormatter}
            minTickGap={40}
            tick={{ fontSize: 11 }}
          />
          <YAxis
            domain={yDomain}
            ticks={yTicks}
            allowDataOverflow
            tickFormatter={(v: number) => (isComparing ? formatSignedPercent(v) : v.toFixed(2))}
            width={64}
            tick={{ fontSize: 11 }}
          />
          {shownBreaks.map((b) => (
            <ReferenceLine
              key={b.index}
              x={b.index - 0.5}
              stroke="var(--color-slate-400)"
              strokeDasharray="4 4"
              ifOverflow="hidden"
              label={{ value: b.tradeDate.slice(5), position: "insideTopLeft", fontSize: 10 }}
              className="session-break"
            />
          ))}
          {isComparing ? (
            <Line
              dataKey="pct"
              stroke="var(--color-brand)"
              dot={false}
              strokeWidth={1.8}
              isAnimationActive={false}
              connectNulls
            />
          ) : mode === "line" ? (
            <Line
              dataKey="close"
              stroke="var(--color-brand)"
              dot={false}
              strokeWidth={1.6}
              isAnimationActive={false}
            />
          ) : (
            <CandleLayer points={points} mode={mode} step={step} />
          )}
          {!isComparing &&
            overlays.map((o) => (
              <Line
                key={o}
                dataKey={o === "vwap" ? "vwapLine" : o}
                name={OVERLAY_LABELS[o]}
                stroke={OVERLAY_COLORS[o]}
                dot={false}
                strokeWidth={1.2}
                isAnimationActive={false}
                // Moving averages run on across sessions; the session VWAP starts again each day.
                connectNulls={o !== "vwap"}
                className={`overlay-${o}`}
              />
            ))}
          {compare.map((s, k) => (
            <Line
              key={s}
              dataKey={(p: ChartPoint) => p.compare[s] ?? null}
              name={s}
              stroke={COMPARE_COLORS[k % COMPARE_COLORS.length]}
              dot={false}
              strokeWidth={1.4}
              isAnimationActive={false}
              connectNulls
              className={`compare-${s}`}
            />
          ))}
          <ChartScaleProbe onScale={onScale} domain={xDomain} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
