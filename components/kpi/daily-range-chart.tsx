"use client";

import { memo } from "react";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { formatPrice } from "@/lib/kpi/format";
import type { DailyStat } from "@/lib/kpi/types";

/** Daily high vs low: a floating bar from low to high per trading day, with the close. */
export const DailyRangeChart = memo(function DailyRangeChart({ days }: { days: DailyStat[] }) {
  const data = days.map((d) => ({
    date: d.tradeDate.slice(5),
    range: [d.low, d.high] as [number, number],
    close: d.close,
    high: d.high,
    low: d.low,
  }));
  return (
    <div className="h-64 w-full" data-testid="daily-range-chart" data-days={days.length}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis dataKey="date" tick={{ fontSize: 11 }} />
          <YAxis
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => v.toFixed(0)}
            width={56}
            tick={{ fontSize: 11 }}
          />
          <Tooltip
            contentStyle={{ fontSize: 12 }}
            formatter={(value, name) =>
              Array.isArray(value)
                ? [`${formatPrice(Number(value[0]))} – ${formatPrice(Number(value[1]))}`, "Low – high"]
                : [formatPrice(Number(value)), String(name)]
            }
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey="range"
            name="Low – high"
            fill="var(--color-brand)"
            fillOpacity={0.35}
            isAnimationActive={false}
          />
          <Line dataKey="close" name="Close" stroke="var(--color-brand)" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
