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
const STORED_EVENT = "tickstream:chart-view-stored";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(STORED_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(STORED_EVENT, onChange);
  };
}

const readStored = () => window.localStorage.getItem(STORAGE_KEY);

/**
 * The chart's saved view: the URL's fields first (a shared link shows what its sender saw), then the
 * last view used in this browser, then the defaults. A change is one history entry (back and forward
 * step through views) and becomes the browser's last view. The URL is only touched with the History
 * API: Next keeps `useSearchParams` in step without asking the server for the page again.
 */
export function useChartView(symbol: string): [ChartView, (next: ChartView) => void] {
  const params = useSearchParams();
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
    window.history.replaceState(null, "", `?${next.toString()}`);
  }, [isUrlComplete, storedText, view]);

  const update = useCallback((next: ChartView) => {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    window.dispatchEvent(new Event(STORED_EVENT));
    const search = writeChartView(new URLSearchParams(window.location.search), next);
    window.history.pushState(null, "", `?${search.toString()}`);
  }, []);
  return [view, update];
}
