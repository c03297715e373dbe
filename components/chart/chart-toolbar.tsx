"use client";

import { memo } from "react";

import { OVERLAY_COLORS } from "@/components/kpi/price-chart";
import { SegmentedControl } from "@/components/ui/segmented-control";
import {
  CHART_MODE_LABELS,
  CHART_MODES,
  OVERLAY_LABELS,
  OVERLAYS,
  type ChartMode,
  type Overlay,
} from "@/lib/kpi/chart-view";
import { cn } from "@/lib/utils";

const MODE_SEGMENTS = CHART_MODES.map((m) => ({
  value: m,
  label: CHART_MODE_LABELS[m],
  testId: `mode-${m}`,
}));

const buttonClass =
  "rounded-md bg-slate-100 px-2 py-1 text-sm hover:bg-slate-200 disabled:opacity-40 dark:bg-slate-800 dark:hover:bg-slate-700";

/** Chart mode, overlay toggles and zoom buttons: native buttons, so Tab and Enter/Space drive them all. */
// Memoized: it depends on the view only, never on bars.
export const ChartToolbar = memo(function ChartToolbar({
  mode,
  onMode,
  overlays,
  onToggleOverlay,
  isComparing,
  onZoom,
  onPan,
  onReset,
  isZoomed,
}: {
  mode: ChartMode;
  onMode: (mode: ChartMode) => void;
  overlays: readonly Overlay[];
  onToggleOverlay: (overlay: Overlay) => void;
  isComparing: boolean;
  onZoom: (factor: number) => void;
  onPan: (fraction: number) => void;
  onReset: () => void;
  isZoomed: boolean;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3" data-testid="chart-toolbar">
      <SegmentedControl
        segments={MODE_SEGMENTS}
        value={mode}
        onChange={onMode}
        label="Chart mode"
        testId="chart-mode"
      />
      <div role="group" aria-label="Overlays" className="flex gap-1" data-testid="overlay-toggles">
        {OVERLAYS.map((o) => (
          <button
            key={o}
            type="button"
            aria-pressed={overlays.includes(o)}
            disabled={isComparing}
            title={isComparing ? "Overlays are hidden while comparing (% change)" : undefined}
            data-testid={`overlay-${o}`}
            onClick={() => onToggleOverlay(o)}
            className={cn(
              "rounded-md border px-2 py-1 text-sm disabled:opacity-40",
              overlays.includes(o)
                ? "border-brand bg-brand/10 font-medium"
                : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800",
            )}
          >
            <span
              aria-hidden
              className="mr-1 inline-block h-2 w-2 rounded-full"
              style={{ background: OVERLAY_COLORS[o] }}
            />
            {OVERLAY_LABELS[o]}
          </button>
        ))}
      </div>
      <div role="group" aria-label="Zoom" className="flex gap-1">
        <button
          type="button"
          className={buttonClass}
          onClick={() => onZoom(0.5)}
          data-testid="zoom-in"
          aria-label="Zoom in"
        >
          +
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={() => onZoom(2)}
          data-testid="zoom-out"
          aria-label="Zoom out"
        >
          −
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={() => onPan(-0.25)}
          data-testid="pan-left"
          aria-label="Pan left"
        >
          ←
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={() => onPan(0.25)}
          data-testid="pan-right"
          aria-label="Pan right"
        >
          →
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={onReset}
          disabled={!isZoomed}
          data-testid="zoom-reset"
        >
          Reset zoom
        </button>
      </div>
    </div>
  );
});
