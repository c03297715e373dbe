"use client";

import { memo, useMemo } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { downsampleBars } from "@/lib/kpi/downsample";
import { formatBarTime, formatPrice, formatVolume, formatZonedTime, formatZoneLabel } from "@/lib/kpi/format";
import type { FactBar } from "@/lib/kpi/types";

/** Most points drawn per series: a full session (390) is drawn bar by bar, longer ranges are merged. */
const MAX_POINTS = 400;

/** `timeZone`: the zone to show times in (the viewer's choice, resolved); named once beside the axis. */
type Props = { bars: FactBar[]; timeZone: string; multiDay: boolean };

/**
 * Close with MA 5 / MA 20 overlays, and volume under it on the same axis. The x axis counts bars, not
 * minutes, as trading charts do: nights, weekends and minutes without trades take no room.
 */
export const PriceChart = memo(function PriceChart({ bars, timeZone, multiDay }: Props) {
  const points = useMemo(() => downsampleBars(bars, MAX_POINTS).map((b, i) => ({ ...b, i })), [bars]);
  const tsAt = (i: number) => points[Math.max(0, Math.min(points.length - 1, Math.round(i)))]?.ts;
  const tickFormatter = (i: number) => formatBarTime(tsAt(i), timeZone, multiDay);
  const domain: [number, number] = [0, Math.max(points.length - 1, 1)];
  const last = bars[bars.length - 1];
  const tooltipLabel = (i: unknown) => formatZonedTime(tsAt(Number(i)), timeZone, { withDate: true });
  return (
    <div
      data-testid="price-chart"
      data-points={points.length}
      data-last-ts={last?.ts ?? ""}
      data-last-close={last?.close ?? ""}
    >
      {last && (
        <p
          className="-mt-1 mb-1 text-right text-xs text-slate-500 dark:text-slate-400"
          data-testid="chart-zone"
        >
          Times in {formatZoneLabel(last.ts, timeZone)}
        </p>
      )}
      <div className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} syncId="price" margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
            <XAxis
              dataKey="i"
              type="number"
              domain={domain}
              tickFormatter={tickFormatter}
              minTickGap={40}
              tick={{ fontSize: 11 }}
            />
            <YAxis
              domain={["auto", "auto"]}
              tickFormatter={(v: number) => v.toFixed(2)}
              width={64}
              tick={{ fontSize: 11 }}
            />
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(value, name) => [formatPrice(Number(value)), String(name)]}
              contentStyle={{ fontSize: 12 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line
              type="linear"
              dataKey="close"
              name="Close"
              stroke="var(--color-brand)"
              dot={false}
              strokeWidth={1.6}
              isAnimationActive={false}
            />
            <Line
              type="linear"
              dataKey="ma5"
              name="MA 5"
              stroke="var(--color-ma5)"
              dot={false}
              strokeWidth={1.2}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              type="linear"
              dataKey="ma20"
              name="MA 20"
              stroke="var(--color-ma20)"
              dot={false}
              strokeWidth={1.2}
              isAnimationActive={false}
              connectNulls
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="h-24 w-full" data-testid="volume-chart">
        <ResponsiveContainer width="100%" height="100%">
          {/* One stepped area instead of a rectangle per bar: it reads as volume bars and re-renders in
              a fraction of the time (hundreds of <rect>s were most of the cost of a live update). */}
          <AreaChart data={points} syncId="price" margin={{ top: 0, right: 8, bottom: 0, left: 8 }}>
            <XAxis dataKey="i" type="number" domain={domain} hide />
            <YAxis tickFormatter={(v: number) => formatVolume(v, true)} width={64} tick={{ fontSize: 10 }} />
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(value) => [formatVolume(Number(value)), "Volume"]}
              contentStyle={{ fontSize: 12 }}
            />
            <Area
              type="stepAfter"
              dataKey="volume"
              name="Volume"
              stroke="var(--color-slate-400)"
              fill="var(--color-slate-400)"
              fillOpacity={0.6}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
});
