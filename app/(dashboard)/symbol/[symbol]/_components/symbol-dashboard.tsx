"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useCallback, useDeferredValue, useEffect, useMemo, useTransition, type ComponentProps } from "react";

import type ChartWorkspaceModule from "@/components/chart/chart-workspace";
import { CustomRangeForm } from "@/components/chart/custom-range-form";
import { useCustomRangeBars, type CustomRange } from "@/components/chart/use-range-bars";
import type { DailyRangeChart as DailyRangeChartModule } from "@/components/kpi/daily-range-chart";
import { KpiCards } from "@/components/kpi/kpi-cards";
import { MoversTable } from "@/components/kpi/movers-table";
import { RangePicker } from "@/components/kpi/range-picker";
import { SourceBadge } from "@/components/kpi/source-badge";
import { SymbolPicker } from "@/components/kpi/symbol-picker";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { fetchJson } from "@/components/realtime/fetch-json";
import { useConnectionState } from "@/components/realtime/use-connection-state";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import type { SymbolView } from "@/components/realtime/symbol-view";
import { useLiveSymbol } from "@/components/realtime/use-live-symbol";
import { Card } from "@/components/ui/card";
import { useDisplayTimeZone, useDisplayZone } from "@/components/ui/display-zone-provider";
import { symbolsResponseSchema, type SymbolSummary, type SymbolsResponse } from "@/lib/events/api-market";
import { toSymbolsSearch } from "@/lib/events/symbol-page";
import { parseStoredChartRange, readUrlChartRange } from "@/lib/kpi/chart-view";
import type { TimeRange } from "@/lib/kpi/time-range";
import type { FactBar } from "@/lib/kpi/types";

// recharts is most of the page's JavaScript and the first paint (header, KPI cards, movers) needs none
// of it: the charts load in parallel with hydration and draw as soon as they arrive.
// The static type imports above let the boundary rules see these two modules.
const ChartWorkspace = dynamic<ComponentProps<typeof ChartWorkspaceModule>>(
  // eslint-disable-next-line no-restricted-syntax -- next/dynamic needs import() to split the chunk
  () => import("@/components/chart/chart-workspace"),
  {
    ssr: false,
    loading: () => <div className="h-[560px]" data-testid="chart-loading" />,
  },
);
const DailyRangeChart = dynamic<ComponentProps<typeof DailyRangeChartModule>>(
  // eslint-disable-next-line no-restricted-syntax -- next/dynamic needs import() to split the chunk
  () => import("@/components/kpi/daily-range-chart").then((m) => m.DailyRangeChart),
  { ssr: false, loading: () => <div className="h-56" /> },
);

const EMPTY_BARS: FactBar[] = [];
const RANGE_STORAGE_KEY = "tickstream-chart-range";

/** The symbol page's URL: the range (or custom dates) and the chart's view (mode, overlays, compare). */
export function toSymbolHref(symbol: string, next: { range?: TimeRange; custom?: CustomRange }): string {
  const params = new URLSearchParams(window.location.search);
  params.delete("symbol");
  params.delete("from");
  params.delete("to");
  params.delete("range");
  if (next.custom) {
    params.set("from", next.custom.from);
    params.set("to", next.custom.to);
  } else params.set("range", next.range ?? "session");
  return `/symbol/${encodeURIComponent(symbol)}?${params.toString()}`;
}

type Props = {
  /** The picker's first page (no search). */
  firstPage: SymbolsResponse;
  /** The symbol shown; null when there is none to show. */
  current: SymbolSummary | null;
  range: TimeRange;
  /** Trading dates replacing the preset range in the chart (the KPI cards stay on the live session). */
  custom: CustomRange | null;
  initial: SymbolView | null;
  moversWindows: number[];
  /** The symbol asked for in the URL, when it differs from the one shown (unknown or removed). */
  requestedSymbol: string | null;
};

/**
 * The shown symbol's summary, kept current by symbols:changed (null once it is deleted or removed);
 * reloaded on a "many changed" event, as one row.
 */
function useCurrentSymbol(initial: SymbolSummary | null): SymbolSummary | null {
  const symbol = initial?.symbol ?? null;
  const live = useLiveResource({
    queryKey: ["symbol", symbol],
    initialData: initial,
    isEnabled: symbol !== null,
    load: async (signal) => {
      // A search for the symbol itself lists it first when it is listed.
      const search = toSymbolsSearch({ q: symbol, limit: 1 });
      const page = await fetchJson(`/api/symbols${search}`, symbolsResponseSchema, { signal });
      return page.symbols.find((s) => s.symbol === symbol) ?? null;
    },
    event: "symbols:changed",
    merge: (shown, delta) => {
      const change = delta.changes.findLast(
        (c) => (c.op === "deleted" ? c.symbol : c.summary.symbol) === symbol,
      );
      if (!change) return shown;
      return change.op === "deleted" || change.summary.status === "removed" ? null : change.summary;
    },
    reloadOn: (_, delta) => delta.isReloadNeeded,
  });
  return live.data === undefined ? initial : live.data;
}

export function SymbolDashboard({
  firstPage,
  current: initialCurrent,
  range,
  custom,
  initial,
  moversWindows,
  requestedSymbol,
}: Props) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const symbol = initialCurrent?.symbol ?? null;
  const current = useCurrentSymbol(initialCurrent);
  const connection = useConnectionState();
  const live = useLiveSymbol(symbol, range, initial);
  const { deploymentTimeZone } = useDisplayZone();
  const exchangeTimeZone = current?.exchangeTimezone ?? deploymentTimeZone;
  const chartTimeZone = useDisplayTimeZone(exchangeTimeZone);
  // Sources of the symbols this page knows (the picker's first page and the shown one): a mover outside
  // them is shown without its source badge.
  const sources = useMemo(
    () => new Map([...firstPage.symbols, ...(current ? [current] : [])].map((s) => [s.symbol, s.source])),
    [firstPage.symbols, current],
  );
  const latestBar = live.bars[live.bars.length - 1] ?? null;
  // The cards show a live bar at once; the charts re-render at low priority, in slices React can
  // interrupt, so a burst of updates never blocks the page.
  const customBars = useCustomRangeBars(symbol ?? "", custom);
  // The cards show a live bar at once; the chart re-renders at low priority, in a pass React can
  // interrupt, so a burst of updates never blocks the page.
  const chartBars = useDeferredValue(custom ? (customBars.data?.bars ?? EMPTY_BARS) : live.bars);
  const chartDays = useDeferredValue(live.days);

  // A new history entry each time: back returns to the previous symbol or range.
  const navigate = useCallback(
    (to: string, target: { range?: TimeRange; custom?: CustomRange }) =>
      startTransition(() => router.push(toSymbolHref(to, target), { scroll: false })),
    [router],
  );
  // The range is remembered in this browser like the chart's view: a URL that names one stores it, and
  // one that does not (a bare link, a watchlist row) opens with the last range used.
  useEffect(() => {
    if (!symbol) return;
    const params = new URLSearchParams(window.location.search);
    const fromUrl = readUrlChartRange((name) => params.get(name));
    if (fromUrl) {
      window.localStorage.setItem(RANGE_STORAGE_KEY, JSON.stringify(fromUrl));
      return;
    }
    const stored = parseStoredChartRange(window.localStorage.getItem(RANGE_STORAGE_KEY));
    if (stored && !("range" in stored && stored.range === range))
      startTransition(() => router.replace(toSymbolHref(symbol, stored), { scroll: false }));
  }, [symbol, range, custom, router]);
  const pickSymbol = useCallback(
    (s: string) => navigate(s, custom ? { custom } : { range }),
    [custom, navigate, range],
  );

  if (!symbol) {
    return (
      <Card testId="empty-state">
        <p className="text-lg font-semibold">No symbols yet.</p>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Add tickers in{" "}
          <a className="text-brand underline" href="/admin">
            Admin
          </a>
          ; their bars appear here as soon as they arrive.
        </p>
      </Card>
    );
  }

  return (
    <div
      className="space-y-4"
      data-testid="dashboard"
      data-symbol={symbol}
      data-range={custom ? `${custom.from}..${custom.to}` : range}
      aria-busy={isPending}
    >
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-bold">
          {symbol}
          {current?.displayName && (
            <span className="ml-2 text-base font-normal text-slate-500">{current.displayName}</span>
          )}
        </h1>
        <SourceBadge source={current?.source} />
        <SymbolPicker initialPage={firstPage} value={symbol} onChange={pickSymbol} />
        <RangePicker value={custom ? null : range} onChange={(r) => navigate(symbol, { range: r })} />
        <CustomRangeForm value={custom} onApply={(c) => navigate(symbol, { custom: c })} />
        <div className="ml-auto flex items-center gap-3">
          <ConnectionIndicator state={connection} />
        </div>
      </div>

      {requestedSymbol && requestedSymbol !== symbol && (
        <p
          role="note"
          data-testid="symbol-not-found"
          className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800"
        >
          {requestedSymbol} is not a followed symbol; showing {symbol}. Admins can add symbols in{" "}
          <a className="text-brand underline" href="/admin">
            Admin
          </a>
          .
        </p>
      )}

      {current?.marketState === "closed" && (
        <p
          role="note"
          data-testid="market-closed"
          className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-900/30 dark:text-amber-100"
        >
          Market closed: showing the last session. Live bars resume at the next open.
        </p>
      )}
      {current && current.status !== "active" && (
        <p
          role="note"
          data-testid="symbol-status"
          className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800"
        >
          {symbol} is {current.status}
          {current.statusReason ? `: ${current.statusReason}` : ""}.
        </p>
      )}
      {live.error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-900/30 dark:text-red-100"
        >
          Could not load {symbol}: {live.error}
        </p>
      )}

      <KpiCards
        latestBar={latestBar}
        day={live.day}
        exchangeTimeZone={exchangeTimeZone}
        lastUpdateAt={live.lastUpdateAt}
      />

      <Card title={custom ? `Price, ${custom.from} to ${custom.to}` : "Price and volume"}>
        {chartBars.length === 0 ? (
          <p className="py-16 text-center text-slate-500" data-testid="no-data">
            {(custom ? customBars.isLoading : live.status === "loading")
              ? "Loading…"
              : custom
                ? customBars.error
                  ? `Could not load ${custom.from} to ${custom.to}: ${customBars.error.message}`
                  : `No bars of ${symbol} from ${custom.from} to ${custom.to}.`
                : `No data yet for ${symbol}: waiting for its first bar.`}
          </p>
        ) : (
          <ChartWorkspace
            key={symbol}
            symbol={symbol}
            bars={chartBars}
            range={range}
            custom={custom}
            timeZone={chartTimeZone}
          />
        )}
      </Card>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Top gainers and losers">
          <MoversTable windows={moversWindows} sources={sources} onPick={pickSymbol} />
        </Card>
        <Card title="Daily high vs low" className="lg:col-span-2">
          {chartDays.length === 0 ? (
            <p className="text-sm text-slate-500">No trading day recorded yet.</p>
          ) : (
            <DailyRangeChart days={chartDays} />
          )}
        </Card>
      </div>
    </div>
  );
}
