"use client";

import { DAILY_HISTORY_DAYS } from "@/components/kpi/daily-history";
import { fetchJson } from "@/components/realtime/fetch-json";
import { mergeBars } from "@/components/realtime/merge-bars";
import { composeSymbolView, type SymbolView } from "@/components/realtime/symbol-view";
import { joinSymbolRoom, leaveSymbolRoom } from "@/components/realtime/socket";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { dailyResponseSchema, pricesResponseSchema, snapshotSchema } from "@/lib/events/api-market";
import type { SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { SymbolUpdatedEvent } from "@/lib/realtime/events";
import { clipToRange, type TimeRange } from "@/lib/kpi/time-range";
import { keepNewestWindowPerLength } from "@/lib/kpi/tumbling-window";
import type { DailyStat, WindowKpi } from "@/lib/kpi/types";

export type LiveSymbolState = SymbolView & {
  status: "loading" | "ready" | "error";
  error: string | null;
  /** When the newest live change reached this page (ms), for "updated x ago". */
  lastUpdateAt: number | null;
};

const EMPTY: SymbolView = { bars: [], day: null, windows: [], days: [] };

function mergeWindows(current: WindowKpi[], incoming: WindowKpi[]): WindowKpi[] {
  // The same array when nothing arrived, so an update of bars alone keeps the windows' identity.
  if (incoming.length === 0) return current;
  return keepNewestWindowPerLength(current, incoming);
}

function mergeDays(days: DailyStat[], day: DailyStat): DailyStat[] {
  const rest = days.filter((d) => d.tradeDate !== day.tradeDate);
  return [...rest, day].sort((a, b) => a.tradeDate.localeCompare(b.tradeDate)).slice(-DAILY_HISTORY_DAYS);
}

/**
 * Folds one live update of the view's symbol into it: bars by start (a revision replaces its bar), the
 * day unless it is older than the one shown, each window unless it starts before the one shown.
 */
export function applySymbolUpdate(view: SymbolView, update: SymbolKpiUpdateV1, range: TimeRange): SymbolView {
  const isNewerDay = update.day !== null && (!view.day || update.day.tradeDate >= view.day.tradeDate);
  return {
    bars: clipToRange(mergeBars(view.bars, update.bars), range),
    day: isNewerDay ? update.day : view.day,
    windows: mergeWindows(view.windows, update.windows),
    days: isNewerDay && update.day ? mergeDays(view.days, update.day) : view.days,
  };
}

/**
 * Whether the bars an update left out (`omittedFrom` up to its first bar) may fall in the view's range,
 * so that the view has to be read back rather than merged. They cannot when the range, once the
 * update's bars are merged, leaves out a bar at least as new as the update's first bar: the range keeps
 * whole trading days from the newest, so every older bar lies outside it as well.
 */
export function isOmissionInView(view: SymbolView, update: SymbolUpdatedEvent, range: TimeRange): boolean {
  const firstSent = update.bars[0];
  if (update.omittedFrom === undefined) return false;
  if (!firstSent) return true;
  const merged = mergeBars(view.bars, update.bars);
  const dropped = merged.length - clipToRange(merged, range).length;
  return dropped === 0 || merged[dropped - 1]!.ts < firstSent.ts;
}

async function loadSymbolView(symbol: string, range: TimeRange, signal: AbortSignal): Promise<SymbolView> {
  const q = encodeURIComponent(symbol);
  const [prices, snapshot, daily] = await Promise.all([
    fetchJson(`/api/prices?symbol=${q}&range=${range}`, pricesResponseSchema, { signal }),
    fetchJson(`/api/snapshot?symbol=${q}`, snapshotSchema, { signal }),
    fetchJson(`/api/daily?symbol=${q}&days=${DAILY_HISTORY_DAYS}`, dailyResponseSchema, { signal }),
  ]);
  return composeSymbolView({ bars: prices.bars, snapshot, days: daily.days }, range);
}

/**
 * Bars and KPIs of one symbol, live: the REST backfill of the range plus `symbol:updated` events, merged
 * by useLiveResource (so nothing is missed or doubled across reconnects, whatever overlaps). An update
 * that left bars out (`omittedFrom`) reloads the range instead: merging the bars it has would leave a hole.
 */
export function useLiveSymbol(
  symbol: string | null,
  range: TimeRange,
  initial: SymbolView | null,
): LiveSymbolState {
  const live = useLiveResource({
    queryKey: ["symbol", symbol, range],
    isEnabled: symbol !== null,
    initialData: initial ?? undefined,
    load: (signal) => loadSymbolView(symbol ?? "", range, signal),
    event: "symbol:updated",
    join: (socket) => (symbol ? joinSymbolRoom(socket, symbol) : Promise.resolve()),
    leave: (socket) => {
      if (symbol) leaveSymbolRoom(socket, symbol);
    },
    merge: (view, update) => (update.symbol === symbol ? applySymbolUpdate(view, update, range) : view),
    // Bars the worker left out of the update (a backlog, lib/realtime/events.ts) are read back.
    reloadOn: (view, update) => update.symbol === symbol && isOmissionInView(view, update, range),
  });
  const view = live.data ?? EMPTY;
  return {
    ...view,
    status: live.data ? "ready" : live.error ? "error" : "loading",
    error: live.error?.message ?? null,
    lastUpdateAt: live.liveAt,
  };
}
