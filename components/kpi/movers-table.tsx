"use client";

import { memo, useState } from "react";

import { ChangeText } from "@/components/kpi/change-text";
import { SourceBadge } from "@/components/kpi/source-badge";
import { fetchJson } from "@/components/realtime/fetch-json";
import { joinMoversRoom } from "@/components/realtime/socket";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { useDisplayZone } from "@/components/ui/display-zone-provider";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { TimeSpan } from "@/components/ui/time";
import { moversViewSchema, type MoversView } from "@/lib/events/api-market";
import type { MoversKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { SymbolSource } from "@/lib/events/symbol";
import { formatPrice } from "@/lib/kpi/format";
import {
  formatMoversWindowLabel,
  formatMoversWindowParam,
  isTradingDayWindow,
  TRADING_DAY_WINDOW,
} from "@/lib/kpi/movers-window";
import { computeTradingDate } from "@/lib/kpi/trading-day";
import { shouldReplaceWindow } from "@/lib/kpi/tumbling-window";
import type { Mover } from "@/lib/kpi/types";

/**
 * The newer of a ranking and a live update of its window length: a later window replaces it, and so
 * does a revision of the same window (updates arrive in commit order, see useLiveResource); an update
 * of an earlier window (a late bar) is ignored.
 */
export function mergeMoversUpdate(view: MoversView, update: MoversKpiUpdateV1): MoversView {
  if (update.windowMinutes !== view.windowMinutes) return view;
  if (!shouldReplaceWindow(view, update)) return view;
  const { windowMinutes, windowStart, windowEnd, gainers, losers } = update;
  return { windowMinutes, windowStart, windowEnd, gainers, losers };
}

function List({
  title,
  movers,
  empty,
  testId,
  sources,
  onPick,
}: {
  title: string;
  movers: Mover[];
  empty: string;
  testId: string;
  sources: ReadonlyMap<string, SymbolSource>;
  onPick: (symbol: string) => void;
}) {
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-slate-500 uppercase">{title}</h3>
      {movers.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <table className="w-full text-sm" data-testid={testId}>
          <tbody>
            {movers.map((m) => (
              <tr key={m.symbol} className="border-t border-slate-100 dark:border-slate-800">
                <td className="tabular py-1 pr-2 text-slate-400">{m.rank}</td>
                <td className="py-1 pr-2">
                  <button
                    type="button"
                    className="font-medium hover:underline"
                    onClick={() => onPick(m.symbol)}
                  >
                    {m.symbol}
                  </button>
                  <SourceBadge source={sources.get(m.symbol)} size="sm" className="ml-1.5 align-middle" />
                </td>
                <td className="tabular py-1 pr-2 text-right">{formatPrice(m.lastClose)}</td>
                <td className="py-1 text-right">
                  <ChangeText value={m.gainPct} isRanked />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

const NO_SOURCES: ReadonlyMap<string, SymbolSource> = new Map();

/** Top gainers and losers of the newest window (5 m, 15 m, 60 m, day), live. */
export const MoversTable = memo(function MoversTable({
  windows,
  sources = NO_SOURCES,
  onPick,
}: {
  windows: number[];
  /** Each symbol's source, to mark replayed ones. */
  sources?: ReadonlyMap<string, SymbolSource>;
  onPick: (symbol: string) => void;
}) {
  const [selected, setSelected] = useState(windows[0] ?? TRADING_DAY_WINDOW);
  // A ranking spans every symbol, and its trading day is computed in the deployment's EXCHANGE_TIMEZONE,
  // so it is dated in that zone, whichever symbol is on show.
  const { deploymentTimeZone } = useDisplayZone();
  const { data: ranking } = useLiveResource({
    queryKey: ["movers", selected],
    load: (signal) =>
      fetchJson(`/api/movers?window=${formatMoversWindowParam(selected)}`, moversViewSchema, { signal }),
    event: "movers:updated",
    join: (socket) => joinMoversRoom(socket, selected),
    merge: mergeMoversUpdate,
  });

  return (
    <div data-testid="movers">
      <div className="mb-3">
        <SegmentedControl
          role="tablist"
          label="Movers window"
          segments={windows.map((w) => ({
            value: w,
            label: formatMoversWindowLabel(w),
            testId: `movers-tab-${formatMoversWindowParam(w)}`,
          }))}
          value={selected}
          onChange={setSelected}
        />
      </div>
      {ranking?.windowStart != null && (
        <p className="mb-2 text-xs text-slate-500" data-testid="movers-window">
          {isTradingDayWindow(ranking.windowMinutes) ? (
            `Trading day ${computeTradingDate(ranking.windowStart, deploymentTimeZone)}, change vs previous close`
          ) : (
            <>
              Window{" "}
              <TimeSpan
                start={ranking.windowStart}
                end={ranking.windowEnd}
                exchangeTimeZone={deploymentTimeZone}
                withDate
              />
            </>
          )}
        </p>
      )}
      <div className="grid gap-4">
        <List
          title="Top gainers"
          movers={ranking?.gainers ?? []}
          empty={
            ranking?.windowStart == null
              ? "No data yet."
              : isTradingDayWindow(selected)
                ? "Nothing rose on this day."
                : "Nothing rose in this window."
          }
          testId="movers-gainers"
          sources={sources}
          onPick={onPick}
        />
        <List
          title="Top losers"
          movers={ranking?.losers ?? []}
          empty={
            ranking?.windowStart == null
              ? "No data yet."
              : isTradingDayWindow(selected)
                ? "Nothing fell on this day."
                : "Nothing fell in this window."
          }
          testId="movers-losers"
          sources={sources}
          onPick={onPick}
        />
      </div>
    </div>
  );
});
