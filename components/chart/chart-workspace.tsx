"use client";

import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";

import { ChartToolbar } from "@/components/chart/chart-toolbar";
import CompareBar from "@/components/chart/compare-bar";
import { downloadChartCsv } from "@/components/chart/export-csv";
import { getVolumeTop, MAX_POINTS, toChartPoints, type ViewWindow } from "@/components/chart/chart-points";
import type { ChartScale } from "@/components/chart/chart-scale";
import { Crosshair, type CrosshairHandle } from "@/components/chart/crosshair";
import { RangeNavigator } from "@/components/chart/range-navigator";
import { useChartView } from "@/components/chart/use-chart-view";
import { useCompareBars, type CustomRange } from "@/components/chart/use-range-bars";
import { VolumePanel } from "@/components/chart/volume-panel";
import { PriceChart } from "@/components/kpi/price-chart";
import { listSessionBreaks } from "@/lib/kpi/chart-series";
import type { Overlay } from "@/lib/kpi/chart-view";
import { formatZoneLabel } from "@/lib/kpi/format";
import type { TimeRange } from "@/lib/kpi/time-range";
import type { FactBar } from "@/lib/kpi/types";

/** Fewest bars a zoom shows. */
const MIN_VIEW_BARS = 10;

/** A zoomed window; `isFollowing` while it ends at the newest bar, so live bars scroll it along. */
type Zoom = { start: number; end: number; isFollowing: boolean };

function clampView(zoom: Zoom | null, count: number): ViewWindow {
  const last = Math.max(0, count - 1);
  if (!zoom) return { start: 0, end: last };
  const width = Math.max(Math.min(zoom.end - zoom.start, last), Math.min(MIN_VIEW_BARS - 1, last));
  const end = zoom.isFollowing ? last : Math.min(Math.max(zoom.end, width), last);
  return { start: Math.max(0, end - width), end };
}

type Props = {
  symbol: string;
  bars: FactBar[];
  range: TimeRange;
  custom: CustomRange | null;
  timeZone: string;
};

/**
 * A symbol's chart with its controls: mode, overlays, zoom (buttons, brush, drag, arrow keys),
 * compare, export, a crosshair tooltip, and the saved view in the URL. Loaded on the client only
 * (next/dynamic), so recharts is not part of the JavaScript the page's first paint waits for.
 */
function ChartWorkspace({ symbol, bars, range, custom, timeZone }: Props) {
  const [view, setView] = useChartView(symbol);

  const [zoom, setZoom] = useState<Zoom | null>(null);
  const shown = clampView(zoom, bars.length);
  const compare = useCompareBars(view.compare, range, custom);
  const points = useMemo(
    () => toChartPoints(bars, shown, compare.bars),
    [bars, shown.start, shown.end, compare.bars], // eslint-disable-line react-hooks/exhaustive-deps -- `shown` is rebuilt each render; its bounds are what matter.
  );
  const step =
    shown.end - shown.start + 1 > MAX_POINTS ? Math.ceil((shown.end - shown.start + 1) / MAX_POINTS) : 1;
  const breaks = useMemo(() => listSessionBreaks(bars), [bars]);
  const volumeTop = useMemo(() => getVolumeTop(points), [points]);
  const volumeDomain = useMemo<[number, number]>(
    () => [shown.start - step / 2, shown.end + step / 2],
    [shown.start, shown.end, step],
  );
  const isMultiDay = breaks.length > 0;
  const last = bars[bars.length - 1];

  const scaleRef = useRef<ChartScale | null>(null);
  const crosshairRef = useRef<CrosshairHandle>(null);
  const activeRef = useRef<number | null>(null);
  const dragRef = useRef<{ px: number; view: ViewWindow } | null>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const onScale = useCallback((scale: ChartScale) => {
    scaleRef.current = scale;
  }, []);

  const showPoint = (k: number, y: number | null) => {
    const scale = scaleRef.current;
    const point = points[Math.max(0, Math.min(points.length - 1, k))];
    if (!scale || !point) return;
    activeRef.current = points.indexOf(point);
    crosshairRef.current?.show({ point, x: scale.toPixelX(point.i), y, scale });
  };
  const hide = () => {
    activeRef.current = null;
    crosshairRef.current?.show(null);
  };

  const applyZoom = (start: number, end: number) => {
    if (start === shown.start && end === shown.end) return;
    const last = bars.length - 1;
    setZoom(start <= 0 && end >= last ? null : { start, end, isFollowing: end >= last });
  };
  const zoomBy = (factor: number) => {
    const width = shown.end - shown.start + 1;
    const next = Math.max(MIN_VIEW_BARS, Math.round(width * factor));
    const center = (shown.start + shown.end) / 2;
    const start = Math.max(0, Math.round(center - next / 2));
    applyZoom(start, Math.min(bars.length - 1, start + next - 1));
  };
  const panBy = (count: number) => {
    const width = shown.end - shown.start;
    const lastIndex = bars.length - 1;
    const start = Math.max(0, Math.min(lastIndex - width, shown.start + Math.round(count)));
    applyZoom(start, start + width);
  };

  const onMouseMove = (e: MouseEvent<HTMLDivElement>) => {
    const scale = scaleRef.current;
    const rect = areaRef.current?.getBoundingClientRect();
    if (!scale || !rect) return;
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const drag = dragRef.current;
    if (drag && e.buttons === 1) {
      const perPixel = (drag.view.end - drag.view.start + 1) / scale.plot.width;
      const shift = Math.round((drag.px - px) * perPixel);
      const width = drag.view.end - drag.view.start;
      const start = Math.max(0, Math.min(bars.length - 1 - width, drag.view.start + shift));
      if (start !== shown.start) applyZoom(start, start + width);
      return;
    }
    if (px < scale.plot.x || px > scale.plot.x + scale.plot.width) return hide();
    const k = Math.round((scale.toIndex(px) - shown.start) / step);
    const inPrice = py >= scale.plot.y && py <= scale.plot.y + scale.plot.height;
    showPoint(k, inPrice ? py : null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = activeRef.current;
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      const delta = e.key === "ArrowRight" ? 1 : -1;
      showPoint(k === null ? (delta > 0 ? 0 : points.length - 1) : k + delta, null);
    } else if (e.key === "+" || e.key === "=") zoomBy(0.5);
    else if (e.key === "-") zoomBy(2);
    else if (e.key === "Escape") hide();
  };

  const toggleOverlay = (o: Overlay) =>
    setView({
      ...view,
      overlays: view.overlays.includes(o) ? view.overlays.filter((x) => x !== o) : [...view.overlays, o],
    });
  const rangeLabel = custom ? `${custom.from}_${custom.to}` : range;
  const exportCsv = () => {
    downloadChartCsv({
      symbol,
      rangeLabel,
      points,
      overlays: view.compare.length ? [] : view.overlays,
      compare: view.compare,
    });
  };

  return (
    <div
      className="space-y-3"
      data-testid="price-chart"
      data-points={points.length}
      data-last-ts={last?.ts ?? ""}
      data-last-close={last?.close ?? ""}
      data-mode={view.mode}
      data-overlays={view.overlays.join(",")}
      data-compare={view.compare.join(",")}
      data-view-start={shown.start}
      data-view-end={shown.end}
      data-bars={bars.length}
      data-breaks={breaks.length}
    >
      <ChartToolbar
        mode={view.mode}
        onMode={(mode) => setView({ ...view, mode })}
        overlays={view.overlays}
        onToggleOverlay={toggleOverlay}
        isComparing={view.compare.length > 0}
        onZoom={zoomBy}
        onPan={(fraction) => panBy((shown.end - shown.start + 1) * fraction)}
        onReset={() => setZoom(null)}
        isZoomed={zoom !== null}
      />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CompareBar
          symbol={symbol}
          compare={view.compare}
          onChange={(c) => setView({ ...view, compare: c })}
        />
        <div className="flex items-center gap-3">
          {last && (
            <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="chart-zone">
              Times in {formatZoneLabel(last.ts, timeZone)}
            </p>
          )}
          <button
            type="button"
            onClick={exportCsv}
            disabled={points.length === 0}
            data-testid="export-csv"
            className="rounded-md bg-slate-100 px-2 py-1 text-sm hover:bg-slate-200 disabled:opacity-40 dark:bg-slate-800 dark:hover:bg-slate-700"
          >
            Export CSV
          </button>
        </div>
      </div>
      {compare.errors.length > 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Could not load {compare.errors.join("; ")}
        </p>
      )}
      <div
        ref={areaRef}
        role="application"
        aria-label={`${symbol} chart: arrow keys move the crosshair, + and − zoom, drag to pan`}
        tabIndex={0}
        className="relative cursor-crosshair select-none"
        data-testid="chart-area"
        onMouseMove={onMouseMove}
        onMouseLeave={() => {
          dragRef.current = null;
          hide();
        }}
        onMouseDown={(e) => {
          dragRef.current = {
            px: e.clientX - (areaRef.current?.getBoundingClientRect().left ?? 0),
            view: shown,
          };
        }}
        onMouseUp={() => {
          dragRef.current = null;
        }}
        onKeyDown={onKeyDown}
        onBlur={hide}
      >
        <PriceChart
          points={points}
          view={shown}
          step={step}
          mode={view.mode}
          overlays={view.overlays}
          compare={view.compare}
          breaks={breaks}
          timeZone={timeZone}
          multiDay={isMultiDay}
          onScale={onScale}
        />
        <VolumePanel points={points} domain={volumeDomain} top={volumeTop} step={step} />
        <Crosshair
          ref={crosshairRef}
          overlays={view.overlays}
          compare={view.compare}
          volumeTop={volumeTop}
          timeZone={timeZone}
          symbol={symbol}
          height={416}
        />
      </div>
      <RangeNavigator
        bars={bars}
        view={shown}
        onChange={(v) => applyZoom(v.start, v.end)}
        timeZone={timeZone}
      />
    </div>
  );
}

/**
 * Memoized: the page passes its bars through useDeferredValue, so a live bar re-renders the cards at
 * once and this whole workspace only in the deferred pass, once.
 */
export default memo(ChartWorkspace);
