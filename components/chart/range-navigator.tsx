"use client";

import { memo, useMemo } from "react";
import { Brush, ComposedChart, Line, ResponsiveContainer, YAxis } from "recharts";

import type { ViewWindow } from "@/components/chart/chart-points";
import { formatBarTime } from "@/lib/kpi/format";
import type { FactBar } from "@/lib/kpi/types";

/** Points of the overview line: the whole range merged into at most this many. */
const NAV_POINTS = 200;

/**
 * The whole range as a thin close line with a brush: dragging its handles or its window zooms and
 * pans the charts above (`onChange` gets bar indexes).
 */
export const RangeNavigator = memo(function RangeNavigator({
  bars,
  view,
  onChange,
  timeZone,
}: {
  bars: readonly FactBar[];
  view: ViewWindow;
  onChange: (view: ViewWindow) => void;
  timeZone: string;
}) {
  const size = Math.max(1, Math.ceil(bars.length / NAV_POINTS));
  const data = useMemo(() => {
    const out: { k: number; ts: number; close: number }[] = [];
    for (let i = 0; i < bars.length; i += size)
      out.push({ k: out.length, ts: bars[i]!.ts, close: bars[i]!.close });
    return out;
  }, [bars, size]);
  const last = data.length - 1;
  const startIndex = Math.min(last, Math.floor(view.start / size));
  const endIndex = Math.min(last, Math.floor(view.end / size));
  return (
    <div className="h-14 w-full" data-testid="range-navigator" data-start={view.start} data-end={view.end}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 2, right: 8, bottom: 0, left: 72 }}>
          <Brush
            dataKey="ts"
            height={52}
            travellerWidth={8}
            startIndex={startIndex}
            endIndex={endIndex}
            tickFormatter={(ts: number) => formatBarTime(ts, timeZone, true)}
            stroke="var(--color-brand)"
            fill="transparent"
            fillOpacity={0.15}
            onChange={(range) => {
              const { startIndex: s, endIndex: e } = range as { startIndex?: number; endIndex?: number };
              // The brush also reports the indexes it was given (new data, a zoom from elsewhere): only
              // a move of its own is a change, or each live bar would zoom the charts.
              if (s === undefined || e === undefined || (s === startIndex && e === endIndex)) return;
              onChange({
                start: Math.min(s * size, bars.length - 1),
                end: e >= last ? bars.length - 1 : Math.min(bars.length - 1, e * size + size - 1),
              });
            }}
          >
            {/* The brush's panorama: the whole range stays drawn behind the window. */}
            <ComposedChart data={data}>
              <YAxis hide domain={["auto", "auto"]} />
              <Line dataKey="close" stroke="var(--color-slate-400)" dot={false} isAnimationActive={false} />
            </ComposedChart>
          </Brush>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
