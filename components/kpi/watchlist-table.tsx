"use client";

import Link from "next/link";
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";

import { ChangeText } from "@/components/kpi/change-text";
import { WatchlistRangeBar } from "@/components/kpi/watchlist-range-bar";
import { WatchlistSparkline } from "@/components/kpi/watchlist-sparkline";
import { formatPrice, formatVolume, getChangeDirection } from "@/lib/kpi/format";
import type { WatchlistRow } from "@/lib/kpi/watchlist-row";
import { computeDayRangePosition, type SortDirection, type WatchlistSortKey } from "@/lib/kpi/watchlist-view";
import { cn } from "@/lib/utils";

/** Every row has this height, so the visible slice follows from the scroll offset alone. */
const ROW_HEIGHT = 44;
/** Rows rendered above and below the visible ones, so a fast scroll shows no blank band. */
const OVERSCAN = 8;
/** The viewport assumed before it is measured (the server's render and the first paint). */
const INITIAL_VIEWPORT = 640;

const COLUMNS: { key: WatchlistSortKey | null; label: string; className: string }[] = [
  { key: "symbol", label: "Symbol", className: "text-left" },
  { key: "last", label: "Last", className: "text-right" },
  { key: "change", label: "Change", className: "text-right" },
  { key: "volume", label: "Volume", className: "text-right" },
  { key: "range", label: "Day range", className: "text-left" },
  { key: null, label: "Today", className: "text-left" },
];

export const symbolHref = (symbol: string) => `/symbol/${encodeURIComponent(symbol)}`;

const Row = memo(function Row({
  row,
  index,
  isActive,
  onOpen,
  onActivate,
}: {
  row: WatchlistRow;
  index: number;
  isActive: boolean;
  onOpen: (symbol: string) => void;
  onActivate: (symbol: string) => void;
}) {
  const direction = getChangeDirection(row.changePct);
  return (
    <tr
      data-testid="watchlist-row"
      data-symbol={row.symbol}
      data-row-index={index}
      data-status={row.status}
      tabIndex={isActive ? 0 : -1}
      style={{ height: ROW_HEIGHT }}
      onClick={(e) => {
        // The symbol's link navigates by itself (and opens new tabs with a modifier).
        if (!(e.target instanceof Element && e.target.closest("a"))) onOpen(row.symbol);
      }}
      onFocus={() => onActivate(row.symbol)}
      className={cn(
        "cursor-pointer border-t border-slate-100 outline-none hover:bg-slate-50 focus-visible:bg-brand/10 focus-visible:outline-none dark:border-slate-800 dark:hover:bg-slate-800/60",
        row.status === "paused" && "text-slate-500 dark:text-slate-400",
      )}
    >
      <td className="py-1 pr-3 pl-3">
        <Link
          href={symbolHref(row.symbol)}
          prefetch={false}
          tabIndex={-1}
          className="font-semibold hover:underline"
          data-testid="watchlist-symbol-link"
        >
          {row.symbol}
        </Link>
        {row.status === "paused" && (
          <span
            data-testid="watchlist-paused"
            className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold text-amber-800 uppercase dark:bg-amber-900/50 dark:text-amber-200"
          >
            Paused
          </span>
        )}
        {row.displayName && (
          <span className="block max-w-48 truncate text-xs text-slate-500 dark:text-slate-400">
            {row.displayName}
          </span>
        )}
      </td>
      <td className="tabular py-1 pr-3 text-right" data-testid="watchlist-last" data-value={row.last ?? ""}>
        {formatPrice(row.last)}
      </td>
      <td className="py-1 pr-3 text-right" data-value={row.changePct ?? ""}>
        <ChangeText value={row.changePct} testId="watchlist-change" />
      </td>
      <td
        className="tabular py-1 pr-3 text-right"
        data-testid="watchlist-volume"
        data-value={row.volume ?? ""}
      >
        {formatVolume(row.volume, true)}
      </td>
      <td className="py-1 pr-3">
        <WatchlistRangeBar position={computeDayRangePosition(row)} low={row.dayLow} high={row.dayHigh} />
      </td>
      <td className="py-1 pr-3">
        <WatchlistSparkline points={row.spark} direction={direction} />
      </td>
    </tr>
  );
});

/**
 * The watchlist's table: sortable headers (aria-sort), one focusable row at a time (arrow keys, Home,
 * End, Page Up/Down move it; Enter opens the symbol), and only the rows in view (plus a margin) in the
 * DOM, so 500 symbols updating every second re-render a few dozen memoised rows, not 500.
 */
export function WatchlistTable({
  rows,
  sort,
  dir,
  onSort,
  onOpen,
}: {
  rows: readonly WatchlistRow[];
  sort: WatchlistSortKey;
  dir: SortDirection;
  onSort: (key: WatchlistSortKey) => void;
  onOpen: (symbol: string) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(INITIAL_VIEWPORT);
  const [activeSymbol, setActiveSymbol] = useState<string | null>(null);
  const focusPending = useRef(false);
  const frame = useRef(0);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, []);

  const activeIndex = Math.max(
    0,
    rows.findIndex((r) => r.symbol === activeSymbol),
  );
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  // Tab enters the table at the active row, or at the first one in view when it was scrolled away.
  const tabStop = activeIndex >= first && activeIndex < last ? activeIndex : first;

  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    scroller.current
      ?.querySelector<HTMLElement>(`[data-row-index="${activeIndex}"]`)
      ?.focus({ preventScroll: true });
  });

  const moveTo = useCallback(
    (index: number) => {
      const el = scroller.current;
      const target = rows[Math.min(rows.length - 1, Math.max(0, index))];
      if (!el || !target) return;
      const i = rows.indexOf(target);
      const header = ROW_HEIGHT;
      const top = i * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - header)
        el.scrollTop = top + ROW_HEIGHT - el.clientHeight + header;
      setScrollTop(el.scrollTop);
      focusPending.current = true;
      setActiveSymbol(target.symbol);
    },
    [rows],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: rows.length - 1,
    };
    const next = moves[e.key];
    if (next !== undefined) {
      e.preventDefault();
      moveTo(next);
    } else if (e.key === "Enter" || e.key === " ") {
      const row = rows[activeIndex];
      if (row) {
        e.preventDefault();
        onOpen(row.symbol);
      }
    }
  };

  return (
    <div
      ref={scroller}
      className="max-h-[calc(100vh-15rem)] min-h-64 overflow-auto rounded-lg border border-slate-200 dark:border-slate-800"
      data-testid="watchlist-scroller"
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => setScrollTop(top));
      }}
    >
      <table
        className="w-full border-collapse text-sm"
        data-testid="watchlist-table"
        aria-rowcount={rows.length + 1}
      >
        <thead className="sticky top-0 z-10 bg-white/95 backdrop-blur dark:bg-slate-900/95">
          <tr style={{ height: ROW_HEIGHT }}>
            {COLUMNS.map((c, i) => (
              <th
                key={c.label}
                scope="col"
                aria-sort={
                  c.key === null
                    ? undefined
                    : c.key === sort
                      ? dir === "asc"
                        ? "ascending"
                        : "descending"
                      : "none"
                }
                data-testid={c.key ? `watchlist-sort-${c.key}` : undefined}
                className={cn(
                  "py-1 pr-3 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400",
                  i === 0 && "pl-3",
                  c.className,
                )}
              >
                {c.key === null ? (
                  c.label
                ) : (
                  <button
                    type="button"
                    onClick={() => onSort(c.key!)}
                    className={cn(
                      "inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-white",
                      // The arrow goes on the inner side, so the label lines up with the numbers below.
                      c.className === "text-right" && "flex-row-reverse",
                    )}
                  >
                    {c.label}
                    <span aria-hidden="true" className="w-2">
                      {c.key === sort ? (dir === "asc" ? "▲" : "▼") : ""}
                    </span>
                  </button>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
          {visible.map((row, i) => (
            <Row
              key={row.symbol}
              row={row}
              index={first + i}
              isActive={first + i === tabStop}
              onOpen={onOpen}
              onActivate={setActiveSymbol}
            />
          ))}
          {last < rows.length && (
            <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }} />
          )}
        </tbody>
      </table>
    </div>
  );
}
