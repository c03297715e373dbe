import { getDailyStats, getPriceRange, getSnapshot, getSymbolSummaries } from "@/app/_data/market";
import { DAILY_HISTORY_DAYS } from "@/components/kpi/daily-history";
import { getEnv } from "@/lib/env";
import { listMoversWindows } from "@/lib/kpi/movers-window";
import { TIME_RANGES, type TimeRange } from "@/lib/kpi/time-range";

import { DashboardView } from "./_components/dashboard-view";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The live dashboard: the server renders the first snapshot, the browser keeps it live. */
export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const symbols = await getSymbolSummaries();
  const requested = typeof params.symbol === "string" ? params.symbol.toUpperCase() : null;
  const range: TimeRange = TIME_RANGES.includes(params.range as TimeRange)
    ? (params.range as TimeRange)
    : "session";
  const selected =
    symbols.find((s) => s.symbol === requested) ??
    symbols.find((s) => s.status === "active") ??
    symbols[0] ??
    null;
  const initial = selected
    ? await Promise.all([
        getPriceRange(selected.symbol, range),
        getSnapshot(selected.symbol),
        getDailyStats(selected.symbol, DAILY_HISTORY_DAYS),
      ]).then(([bars, snapshot, days]) => ({ bars, day: snapshot.day, windows: snapshot.windows, days }))
    : null;
  return (
    <DashboardView
      key={`${selected?.symbol ?? ""}|${range}`}
      symbols={symbols}
      symbol={selected?.symbol ?? null}
      range={range}
      initial={initial}
      moversWindows={listMoversWindows(getEnv().KPI_WINDOWS)}
      requestedSymbol={requested}
    />
  );
}
