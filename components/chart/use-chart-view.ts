"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useSyncExternalStore } from "react";

import {
  DEFAULT_CHART_VIEW,
  normalizeCompare,
  parseChartView,
  parseStoredChartView,
  writeChartView,
  type ChartView,
} from "@/lib/kpi/chart-view";

const STORAGE_KEY = "tickstream-chart-view";
/** Dispatched after this hook writes the URL or the stored view (neither fires an event of its own). */
const CHANGED_EVENT = "tickstream:chart-view-changed";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener("popstate", onChange);
  window.addEventListener(CHANGED_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(CHANGED_EVENT, onChange);
  };
}

const readStored = () => window.localStorage.getItem(STORAGE_KEY);
const readSearch = () => window.location.search;

/**
 * The chart's saved view: the URL's fields first (a shared link shows what its sender saw), then the
 * last view used in this browser, then the defaults. A change is one history entry (back and forward
 * step through views) and becomes the browser's last view. The URL is written with the History API
 * (no server round trip) and read back from `location` itself: Next's `useSearchParams` follows such
 * writes in a transition, which a busy live page can postpone.
 */
export function useChartView(symbol: string): [ChartView, (next: ChartView) => void] {
  const serverParams = useSearchParams();
  const search = useSyncExternalStore(subscribe, readSearch, () => `?${serverParams.toString()}`);
  const params = useMemo(() => new URLSearchParams(search), [search]);
  // Null on the server and while hydrating, so both render the same; the stored view applies after.
  const storedText = useSyncExternalStore(subscribe, readStored, () => null);
  const view = useMemo<ChartView>(() => {
    const fromUrl = parseChartView(params);
    const stored = parseStoredChartView(storedText);
    return {
      mode: fromUrl.mode ?? stored.mode ?? DEFAULT_CHART_VIEW.mode,
      overlays: fromUrl.overlays ?? stored.overlays ?? DEFAULT_CHART_VIEW.overlays,
      compare: normalizeCompare(fromUrl.compare ?? stored.compare ?? DEFAULT_CHART_VIEW.compare, symbol),
    };
  }, [params, storedText, symbol]);

  // A URL without the view gets the one shown written into it (no new history entry), so it can be
  // copied and shared as it is.
  const isUrlComplete = params.has("mode") && params.has("overlays");
  useEffect(() => {
    if (isUrlComplete || storedText === null) return;
    const next = writeChartView(new URLSearchParams(window.location.search), view);
    window.history.replaceState(window.history.state, "", `?${next.toString()}`);
    window.dispatchEvent(new Event(CHANGED_EVENT));
  }, [isUrlComplete, storedText, view]);

  const update = useCallback((next: ChartView) => {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    const search = writeChartView(new URLSearchParams(window.location.search), next);
    window.history.pushState(window.history.state, "", `?${search.toString()}`);
    window.dispatchEvent(new Event(CHANGED_EVENT));
  }, []);
  return [view, update];
}
