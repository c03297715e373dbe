"use client";

import { memo, useMemo, useRef, type KeyboardEvent, type PointerEvent } from "react";

import type { ViewWindow } from "@/components/chart/chart-points";
import { formatBarTime } from "@/lib/kpi/format";
import type { FactBar } from "@/lib/kpi/types";

/** Points of the overview line: the whole range merged into at most this many. */
const NAV_POINTS = 200;
const WIDTH = 1000;
const HEIGHT = 40;

type Drag = { part: "start" | "end" | "window"; x: number; view: ViewWindow; width: number };

/** The overview's line in a WIDTH × HEIGHT box (stretched to the element). */
function computeOverviewPath(bars: readonly FactBar[]): string {
  const size = Math.max(1, Math.ceil(bars.length / NAV_POINTS));
  const closes: number[] = [];
  for (let i = 0; i < bars.length; i += size) closes.push(bars[i]!.close);
  const lo = Math.min(...closes);
  const span = Math.max(...closes) - lo || 1;
  return closes
    .map((c, k) => {
      const x = (k / Math.max(1, closes.length - 1)) * WIDTH;
      const y = HEIGHT - 2 - ((c - lo) / span) * (HEIGHT - 4);
      return `${k === 0 ? "M" : "L"}${x.toFixed(1)} ${y.toFixed(1)}`;
    })
    .join("");
}

/**
 * The whole range as a thin close line with the shown window over it: drag the window to pan, its
 * handles to zoom (or focus a handle and use the arrow keys). Plain elements rather than a recharts
 * Brush: a Brush is a second chart that re-renders, twice, on every live bar.
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
  const path = useMemo(() => computeOverviewPath(bars), [bars]);
  const dragRef = useRef<Drag | null>(null);
  const count = Math.max(1, bars.length);
  const last = count - 1;
  const move = (drag: Drag, shift: number) => {
    const { start, end } = drag.view;
    if (drag.part === "window") {
      const s = Math.max(0, Math.min(last - (end - start), start + shift));
      onChange({ start: s, end: s + (end - start) });
    } else if (drag.part === "start") onChange({ start: Math.max(0, Math.min(end - 9, start + shift)), end });
    else onChange({ start, end: Math.min(last, Math.max(start + 9, end + shift)) });
  };
  const onPointerDown = (part: Drag["part"]) => (e: PointerEvent<HTMLElement>) => {
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    const width = e.currentTarget.closest("[data-navigator-track]")?.getBoundingClientRect().width ?? 1;
    dragRef.current = { part, x: e.clientX, view, width };
  };
  const onPointerMove = (e: PointerEvent<HTMLElement>) => {
    const drag = dragRef.current;
    if (!drag) return;
    move(drag, Math.round(((e.clientX - drag.x) / drag.width) * count));
  };
  const onPointerUp = () => {
    dragRef.current = null;
  };
  const onKey = (part: "start" | "end") => (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    const step = Math.max(1, Math.round(count / 50)) * (e.key === "ArrowLeft" ? -1 : 1);
    move({ part, x: 0, view, width: 1 }, step);
  };
  const left = (view.start / count) * 100;
  const width = ((view.end - view.start + 1) / count) * 100;
  const handle =
    "absolute top-0 h-full w-2.5 cursor-ew-resize rounded-sm bg-brand/80 focus-visible:outline-2 touch-none";
  return (
    <div className="mr-2 ml-[72px]" data-testid="range-navigator" data-start={view.start} data-end={view.end}>
      <div
        className="relative h-10 rounded border border-slate-200 dark:border-slate-700"
        data-navigator-track
      >
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          className="absolute inset-0 h-full w-full"
          aria-hidden
        >
          <path
            d={path}
            fill="none"
            stroke="var(--color-slate-400)"
            strokeWidth={1}
            vectorEffect="non-scaling-stroke"
          />
        </svg>
        <div
          className="absolute top-0 h-full cursor-grab touch-none border-y border-brand/60 bg-brand/15"
          style={{ left: `${left}%`, width: `${width}%` }}
          data-testid="navigator-window"
          onPointerDown={onPointerDown("window")}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        >
          <button
            type="button"
            aria-label={`Start of the shown range: ${formatBarTime(bars[view.start]?.ts, timeZone, true)}`}
            className={`${handle} -left-1.5`}
            data-testid="navigator-start"
            onPointerDown={onPointerDown("start")}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onKeyDown={onKey("start")}
          />
          <button
            type="button"
            aria-label={`End of the shown range: ${formatBarTime(bars[view.end]?.ts, timeZone, true)}`}
            className={`${handle} -right-1.5`}
            data-testid="navigator-end"
            onPointerDown={onPointerDown("end")}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onKeyDown={onKey("end")}
          />
        </div>
      </div>
      <div className="mt-0.5 flex justify-between text-[10px] text-slate-500 dark:text-slate-400">
        <span>{formatBarTime(bars[0]?.ts, timeZone, true)}</span>
        <span>{formatBarTime(bars[last]?.ts, timeZone, true)}</span>
      </div>
    </div>
  );
});
