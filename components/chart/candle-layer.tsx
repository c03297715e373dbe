"use client";

import { useXAxisScale, useYAxisScale } from "recharts";

import type { ChartPoint } from "@/components/chart/chart-points";

type Props = { points: readonly ChartPoint[]; mode: "candles" | "ohlc"; step: number };

/**
 * Candles or OHLC bars as four SVG paths (up and down, bodies and wicks) instead of an element per
 * bar: a live bar re-renders a few strings, not hundreds of <rect>s. Drawn inside a recharts chart,
 * with its axes' scales. `step`: x distance between neighbouring points, in index units.
 */
export function CandleLayer({ points, mode, step }: Props) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y || points.length === 0) return null;
  const first = points[0]!;
  const slot = Math.abs((x(first.i + step) ?? 0) - (x(first.i) ?? 0));
  const half = Math.max(0.5, Math.min(slot * 0.35, 8));
  const paths = { upBody: "", downBody: "", upWick: "", downWick: "" };
  for (const p of points) {
    const cx = x(p.i);
    const yo = y(p.open);
    const yc = y(p.close);
    const yh = y(p.high);
    const yl = y(p.low);
    if (cx === undefined || yo === undefined || yc === undefined || yh === undefined || yl === undefined)
      continue;
    const r = (n: number) => n.toFixed(1);
    if (mode === "candles") {
      const top = Math.min(yo, yc);
      const height = Math.max(1, Math.abs(yc - yo));
      const body = `M${r(cx - half)} ${r(top)}h${r(2 * half)}v${r(height)}h${r(-2 * half)}Z`;
      const wick = `M${r(cx)} ${r(yh)}V${r(yl)}`;
      if (p.isUp) {
        paths.upBody += body;
        paths.upWick += wick;
      } else {
        paths.downBody += body;
        paths.downWick += wick;
      }
    } else {
      const bar = `M${r(cx)} ${r(yh)}V${r(yl)}M${r(cx - half)} ${r(yo)}H${r(cx)}M${r(cx)} ${r(yc)}H${r(cx + half)}`;
      if (p.isUp) paths.upWick += bar;
      else paths.downWick += bar;
    }
  }
  return (
    <g data-testid="candles" data-mode={mode} data-count={points.length}>
      <path d={paths.upWick} stroke="var(--color-up)" strokeWidth={1} fill="none" />
      <path d={paths.downWick} stroke="var(--color-down)" strokeWidth={1} fill="none" />
      {mode === "candles" && <path d={paths.upBody} fill="var(--color-up)" />}
      {mode === "candles" && <path d={paths.downBody} fill="var(--color-down)" />}
    </g>
  );
}
