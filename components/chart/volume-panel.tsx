"use client";

import { memo } from "react";
import { ComposedChart, ResponsiveContainer, XAxis, YAxis, useXAxisScale, useYAxisScale } from "recharts";

import type { ChartPoint } from "@/components/chart/chart-points";
import { formatVolume } from "@/lib/kpi/format";

function VolumeLayer({ points, top, step }: { points: readonly ChartPoint[]; top: number; step: number }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y || points.length === 0) return null;
  const first = points[0]!;
  const slot = Math.abs((x(first.i + step) ?? 0) - (x(first.i) ?? 0));
  const half = Math.max(0.5, Math.min(slot * 0.4, 8));
  const base = y(0) ?? 0;
  const ceiling = y(top) ?? 0;
  let up = "";
  let down = "";
  let clipped = "";
  let clippedCount = 0;
  for (const p of points) {
    const cx = x(p.i);
    if (cx === undefined) continue;
    const isClipped = p.volume > top;
    const yv = isClipped ? ceiling : (y(p.volume) ?? base);
    const bar = `M${(cx - half).toFixed(1)} ${base.toFixed(1)}V${yv.toFixed(1)}h${(2 * half).toFixed(1)}V${base.toFixed(1)}Z`;
    if (p.isUp) up += bar;
    else down += bar;
    if (isClipped) {
      clippedCount++;
      // A notch above the cut bar: it goes on past the axis (its volume is in the tooltip).
      clipped += `M${(cx - half - 1).toFixed(1)} ${(ceiling + 4).toFixed(1)}L${cx.toFixed(1)} ${(ceiling - 2).toFixed(1)}L${(cx + half + 1).toFixed(1)} ${(ceiling + 4).toFixed(1)}Z`;
    }
  }
  return (
    <g data-testid="volume-bars" data-clipped={clippedCount}>
      <path d={up} fill="var(--color-up)" fillOpacity={0.55} />
      <path d={down} fill="var(--color-down)" fillOpacity={0.55} />
      <path d={clipped} fill="var(--color-clipped)" data-testid="volume-clipped-marks" />
    </g>
  );
}

/**
 * Volume under the price chart, on the same x axis, coloured by the bar's direction. The axis tops
 * at a robust cap (lib/kpi/chart-series.ts computeVolumeCap): bars above it are cut at the top and
 * marked, and the tooltip gives their true volume.
 */
export const VolumePanel = memo(function VolumePanel({
  points,
  domain,
  top,
  step,
}: {
  points: ChartPoint[];
  domain: [number, number];
  top: number;
  step: number;
}) {
  return (
    <div className="h-24 w-full" data-testid="volume-chart" data-top={top}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 8 }}>
          <XAxis dataKey="i" type="number" domain={domain} allowDataOverflow hide />
          <YAxis
            domain={[0, top]}
            allowDataOverflow
            ticks={[0, top / 2, top]}
            tickFormatter={(v: number) => formatVolume(v, true)}
            width={64}
            tick={{ fontSize: 10 }}
          />
          <VolumeLayer points={points} top={top} step={step} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
