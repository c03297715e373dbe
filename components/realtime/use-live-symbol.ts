"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { mergeBars } from "@/components/realtime/merge-bars";
import { getLiveSocket } from "@/components/realtime/socket";
import type { SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { clipToRange, type TimeRange } from "@/lib/kpi/time-range";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";

export type LiveSnapshot = { day: DailyStat | null; windows: WindowKpi[] };
export type LiveSymbolState = {
  bars: FactBar[];
  snapshot: LiveSnapshot;
  status: "loading" | "ready" | "error";
  error: string | null;
  /** When the newest change reached this page (ms), for "updated x ago". */
  lastUpdateAt: number | null;
};

type Initial = { bars: FactBar[]; snapshot: LiveSnapshot } | null;

declare global {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- augmenting Window needs an interface
  interface Window {
    /** Receipt-to-render delays of live updates (ms), read by the browser tests and the benchmark. */
    __tickstreamLatencies?: number[];
  }
}

function mergeWindows(current: WindowKpi[], incoming: WindowKpi[]): WindowKpi[] {
  const byLength = new Map(current.map((w) => [w.windowMinutes, w]));
  for (const w of incoming) {
    const seen = byLength.get(w.windowMinutes);
    if (!seen || seen.windowStart <= w.windowStart) byLength.set(w.windowMinutes, w);
  }
  return [...byLength.values()].sort((a, b) => a.windowMinutes - b.windowMinutes);
}

function applyUpdate(state: LiveSymbolState, update: SymbolKpiUpdateV1, range: TimeRange): LiveSymbolState {
  const day =
    update.day && (!state.snapshot.day || update.day.tradeDate >= state.snapshot.day.tradeDate)
      ? update.day
      : state.snapshot.day;
  return {
    ...state,
    bars: clipToRange(mergeBars(state.bars, update.bars), range),
    snapshot: { day, windows: mergeWindows(state.snapshot.windows, update.windows) },
    lastUpdateAt: Date.now(),
  };
}

/**
 * Bars and KPIs of one symbol, live. On every (re)connect it subscribes first, then backfills the range
 * from REST, then applies the updates that arrived meanwhile: merging by bar start means nothing is
 * missed and nothing is doubled, whatever overlaps.
 */
export function useLiveSymbol(symbol: string | null, range: TimeRange, initial: Initial): LiveSymbolState {
  const [state, setState] = useState<LiveSymbolState>(() => ({
    bars: initial?.bars ?? [],
    snapshot: initial?.snapshot ?? { day: null, windows: [] },
    status: initial ? "ready" : "loading",
    error: null,
    lastUpdateAt: null,
  }));
  const pending = useRef<SymbolKpiUpdateV1[] | null>(null);
  const generation = useRef(0);

  const backfill = useCallback(async () => {
    if (!symbol) return;
    const gen = ++generation.current;
    pending.current = [];
    try {
      const [prices, snapshot] = await Promise.all([
        fetch(`/api/prices?symbol=${encodeURIComponent(symbol)}&range=${range}`, { cache: "no-store" }).then(
          ok,
        ),
        fetch(`/api/snapshot?symbol=${encodeURIComponent(symbol)}`, { cache: "no-store" }).then(ok),
      ]);
      if (gen !== generation.current) return;
      const queued = pending.current ?? [];
      pending.current = null;
      setState((prev) => {
        const base = prev.bars[0]?.symbol === symbol ? prev.bars : [];
        let next: LiveSymbolState = {
          bars: clipToRange(mergeBars(base, (prices as { bars: FactBar[] }).bars), range),
          snapshot: { day: (snapshot as LiveSnapshot).day, windows: (snapshot as LiveSnapshot).windows },
          status: "ready",
          error: null,
          lastUpdateAt: prev.lastUpdateAt,
        };
        for (const update of queued) next = applyUpdate(next, update, range);
        return next;
      });
    } catch (error) {
      if (gen !== generation.current) return;
      pending.current = null;
      setState((prev) => ({
        ...prev,
        status: prev.bars.length ? "ready" : "error",
        error: (error as Error).message,
      }));
    }
  }, [symbol, range]);

  useEffect(() => {
    if (!symbol) return;
    const socket = getLiveSocket();
    const onUpdate = (update: SymbolKpiUpdateV1) => {
      if (update.symbol !== symbol) return;
      if (pending.current) {
        pending.current.push(update);
        return;
      }
      const received = performance.now();
      setState((prev) => applyUpdate(prev, update, range));
      requestAnimationFrame(() => {
        (window.__tickstreamLatencies ??= []).push(performance.now() - received);
      });
    };
    const subscribeAndBackfill = () => {
      // Subscribe before the backfill so that no update falls between the two.
      socket.emit("symbol:subscribe", [symbol], () => undefined);
      void backfill();
    };
    socket.on("symbol:updated", onUpdate);
    socket.on("connect", subscribeAndBackfill);
    if (socket.connected) subscribeAndBackfill();
    return () => {
      socket.off("symbol:updated", onUpdate);
      socket.off("connect", subscribeAndBackfill);
      if (socket.connected) socket.emit("symbol:unsubscribe", [symbol], () => undefined);
    };
  }, [symbol, range, backfill]);

  return state;
}

async function ok(response: Response): Promise<unknown> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  }
  return response.json();
}
