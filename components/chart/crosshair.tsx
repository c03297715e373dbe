"use client";

import { useImperativeHandle, useState, type Ref } from "react";

import type { ChartPoint } from "@/components/chart/chart-points";
import type { ChartScale } from "@/components/chart/chart-scale";
import { formatQuote, formatSignedPercent } from "@/components/chart/format-quote";
import { COMPARE_COLORS, OVERLAY_COLORS } from "@/components/kpi/price-chart";
import { OVERLAY_LABELS, type Overlay } from "@/lib/kpi/chart-view";
import { formatVolume, formatZonedTime } from "@/lib/kpi/format";

/** What the pointer (or the arrow keys) points at: a point, and the pointer's height in the price pane. */
export type Hover = { point: ChartPoint; x: number; y: number | null; scale: ChartScale };

export type CrosshairHandle = { show: (hover: Hover | null) => void };

type Props = {
  ref: Ref<CrosshairHandle>;
  overlays: readonly Overlay[];
  compare: readonly string[];
  /** Top of the volume axis: a bar above it is drawn cut, and said so here. */
  volumeTop: number;
  timeZone: string;
  symbol: string;
  /** Height of the whole chart area (price and volume panes). */
  height: number;
};

function Row({
  label,
  value,
  testId,
  color,
}: {
  label: string;
  value: string;
  testId: string;
  color?: string;
}) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="flex items-center gap-1 text-slate-500 dark:text-slate-400">
        {color && (
          <span aria-hidden className="inline-block h-2 w-2 rounded-full" style={{ background: color }} />
        )}
        {label}
      </dt>
      <dd className="tabular font-medium" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/**
 * Crosshair lines and the tooltip of the bar under them, drawn over the charts. Its own state, set
 * through `show`, so moving the pointer re-renders this box only, never the charts.
 */
export function Crosshair({ ref, overlays, compare, volumeTop, timeZone, symbol, height }: Props) {
  const [hover, setHover] = useState<Hover | null>(null);
  useImperativeHandle(ref, () => ({ show: setHover }), []);
  if (!hover) return null;
  const { point, x, y, scale } = hover;
  const isLeft = x > scale.plot.x + scale.plot.width / 2;
  const isComparing = compare.length > 0;
  return (
    <>
      <div
        aria-hidden
        className="pointer-events-none absolute w-px bg-slate-400/70"
        style={{ left: x, top: scale.plot.y, height: height - scale.plot.y }}
      />
      {y !== null && (
        <div
          aria-hidden
          className="pointer-events-none absolute h-px bg-slate-400/70"
          style={{ top: y, left: scale.plot.x, width: scale.plot.width }}
        >
          <span className="absolute -top-2.5 -right-16 rounded bg-slate-700 px-1 text-[10px] text-white">
            {isComparing ? formatSignedPercent(scale.toValue(y)) : formatQuote(scale.toValue(y))}
          </span>
        </div>
      )}
      <div
        role="status"
        data-testid="chart-tooltip"
        data-ts={point.ts}
        data-index={point.i}
        className="pointer-events-none absolute z-10 w-52 rounded-md border border-slate-200 bg-white/95 p-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900/95"
        style={{ top: scale.plot.y + 4, left: isLeft ? x - 216 : x + 12 }}
      >
        <p className="mb-1 font-semibold" data-testid="tooltip-time">
          {formatZonedTime(point.ts, timeZone, { withDate: true })}
        </p>
        <dl className="space-y-0.5">
          <Row label="Open" value={formatQuote(point.open)} testId="tooltip-open" />
          <Row label="High" value={formatQuote(point.high)} testId="tooltip-high" />
          <Row label="Low" value={formatQuote(point.low)} testId="tooltip-low" />
          <Row label="Close" value={formatQuote(point.close)} testId="tooltip-close" />
          <Row
            label="Volume"
            value={`${formatVolume(point.volume)}${point.volume > volumeTop ? " (above the axis)" : ""}`}
            testId="tooltip-volume"
          />
          {!isComparing &&
            overlays.map((o) => (
              <Row
                key={o}
                label={OVERLAY_LABELS[o]}
                value={formatQuote(point[o])}
                testId={`tooltip-${o}`}
                color={OVERLAY_COLORS[o]}
              />
            ))}
          {isComparing && (
            <Row
              label={symbol}
              value={formatSignedPercent(point.pct)}
              testId="tooltip-pct"
              color="var(--color-brand)"
            />
          )}
          {compare.map((s, k) => (
            <Row
              key={s}
              label={s}
              value={formatSignedPercent(point.compare[s])}
              testId={`tooltip-compare-${s}`}
              color={COMPARE_COLORS[k % COMPARE_COLORS.length]}
            />
          ))}
        </dl>
      </div>
    </>
  );
}
