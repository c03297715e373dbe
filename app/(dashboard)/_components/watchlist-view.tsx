"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";

import { symbolHref, WatchlistTable } from "@/components/kpi/watchlist-table";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { fetchJson } from "@/components/realtime/fetch-json";
import { getLiveSocket, joinWatchlistRoom, leaveWatchlistRoom } from "@/components/realtime/socket";
import { useConnectionState } from "@/components/realtime/use-connection-state";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { Card } from "@/components/ui/card";
import {
  watchlistResponseSchema,
  type WatchlistResponse,
  type WatchlistUpdate,
} from "@/lib/events/api-market";
import { downloadWatchlistCsv } from "@/app/(dashboard)/_components/watchlist-csv";
import { isSparklineCut, mergeWatchlistTicks } from "@/lib/kpi/watchlist-row";
import {
  filterWatchlistRows,
  getNextSortDirection,
  parseWatchlistViewState,
  sortWatchlistRows,
  toWatchlistSearchParams,
  type WatchlistSortKey,
  type WatchlistViewState,
} from "@/lib/kpi/watchlist-view";

/** Where the last sort and search are kept for a visit without them in the URL. */
const STORAGE_KEY = "tickstream-watchlist-view";

/**
 * Least time between two reads of the list that cut sparklines ask for (isSparklineCut): in a backlog
 * nearly every update cuts some, and reading a whole day of 1,000 symbols costs PostgreSQL more than
 * half a second, taken from the stream worker catching up. The first cut after a quiet spell is read
 * at once, the rest of a backlog's once per interval, the last of them included.
 */
const CUT_REREAD_INTERVAL_MS = 15_000;

function mergeUpdate(data: WatchlistResponse, update: WatchlistUpdate): WatchlistResponse {
  const rows = mergeWatchlistTicks(data.rows, update.ticks);
  return rows === data.rows ? data : { rows: [...rows] };
}

/** The view state in the address bar (replaced, not pushed: sorting is no navigation) and in localStorage. */
function persistView(state: WatchlistViewState): void {
  const params = toWatchlistSearchParams(state).toString();
  window.history.replaceState(window.history.state, "", params ? `/?${params}` : "/");
  try {
    localStorage.setItem(STORAGE_KEY, params);
  } catch {
    // Storage full or disabled (private mode): the URL still holds the view.
  }
}

/**
 * The landing view: every followed symbol's day, live. The server renders the first rows; the
 * `watchlist` room then sends the changed ones once a second, and a `symbols:changed` event (a symbol
 * added, paused or removed) reloads the list, as do updates that left bars out of a sparkline.
 */
export function WatchlistView({
  initial,
  initialView,
  hasViewInUrl,
}: {
  initial: WatchlistResponse;
  initialView: WatchlistViewState;
  /** False: the URL named no sort or search, so the one kept in localStorage applies. */
  hasViewInUrl: boolean;
}) {
  const router = useRouter();
  const connection = useConnectionState();
  const [view, setView] = useState(initialView);
  const { data, reload, error } = useLiveResource({
    queryKey: ["watchlist"],
    load: (signal) => fetchJson("/api/watchlist", watchlistResponseSchema, { signal }),
    initialData: initial,
    event: "watchlist:updated",
    join: joinWatchlistRoom,
    leave: leaveWatchlistRoom,
    merge: mergeUpdate,
    // A backlog's update leaves some bars out: its figures are merged (they are the day's), its bars are
    // not (the line would cross those left out), and the list is read again.
    rereadOn: (held, update) => isSparklineCut(held.rows, update.ticks),
    rereadIntervalMs: CUT_REREAD_INTERVAL_MS,
  });

  useEffect(() => {
    const socket = getLiveSocket();
    const onChanged = () => void reload();
    socket.on("symbols:changed", onChanged);
    return () => {
      socket.off("symbols:changed", onChanged);
    };
  }, [reload]);

  useEffect(() => {
    if (hasViewInUrl) return;
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(STORAGE_KEY);
    } catch {
      return;
    }
    if (!stored) return;
    const params = new URLSearchParams(stored);
    const restored = parseWatchlistViewState((name) => params.get(name));
    // localStorage exists only in the browser: the server rendered the default view, restored here.
    setView(restored);
    persistView(restored);
  }, [hasViewInUrl]);

  const update = useCallback((next: WatchlistViewState) => {
    setView(next);
    persistView(next);
  }, []);
  const onSort = useCallback(
    (key: WatchlistSortKey) => update({ ...view, sort: key, dir: getNextSortDirection(view, key) }),
    [update, view],
  );
  const onOpen = useCallback((symbol: string) => router.push(symbolHref(symbol)), [router]);

  const allRows = data?.rows ?? initial.rows;
  const shown = useMemo(
    () => sortWatchlistRows(filterWatchlistRows(allRows, view.q), view.sort, view.dir),
    [allRows, view.q, view.sort, view.dir],
  );
  const paused = allRows.filter((r) => r.status === "paused").length;

  return (
    <Card
      testId="watchlist"
      title="Watchlist"
      actions={
        <div className="flex flex-wrap items-center gap-3">
          <ConnectionIndicator state={connection} />
          <input
            type="search"
            value={view.q}
            onChange={(e) => update({ ...view, q: e.target.value })}
            placeholder="Filter symbols…"
            aria-label="Filter symbols"
            data-testid="watchlist-filter"
            className="w-48 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
          />
          <button
            type="button"
            data-testid="watchlist-export"
            disabled={shown.length === 0}
            onClick={() => downloadWatchlistCsv(shown)}
            className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Export CSV
          </button>
        </div>
      }
    >
      <p className="mb-3 text-xs text-slate-500 dark:text-slate-400" data-testid="watchlist-summary">
        {shown.length === allRows.length
          ? `${allRows.length} symbols`
          : `${shown.length} of ${allRows.length} symbols`}
        {paused > 0 && `, ${paused} paused (not updating)`}. Change is against the previous close; ↑ ↓ move,
        Enter opens a symbol.
        {error && <span className="ml-2 text-down">Refreshing failed: {error.message}</span>}
      </p>
      {allRows.length === 0 ? (
        <div className="py-12 text-center" data-testid="watchlist-empty">
          <p className="font-medium">No symbols are followed yet.</p>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            Add some on the{" "}
            <Link href="/admin" className="text-brand underline">
              admin page
            </Link>
            ; they appear here with their first bar.
          </p>
        </div>
      ) : shown.length === 0 ? (
        <p className="py-12 text-center text-sm text-slate-500" data-testid="watchlist-no-match">
          No symbol matches “{view.q}”.
        </p>
      ) : (
        <WatchlistTable rows={shown} sort={view.sort} dir={view.dir} onSort={onSort} onOpen={onOpen} />
      )}
    </Card>
  );
}
