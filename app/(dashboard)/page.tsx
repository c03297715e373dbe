import { getSymbolPage, getSymbolSummary, getSymbolView } from "@/app/_data/market";
import { getWatchlist } from "@/app/_data/watchlist";
import { DEFAULT_WATCHLIST_POINTS, pricesQuerySchema } from "@/lib/api/market-params";
import { getEnv } from "@/lib/env";
import { normalizeSymbolInput } from "@/lib/events/symbol";
import { SYMBOL_PICKER_LIMIT } from "@/lib/events/symbol-page";
import { listMoversWindows } from "@/lib/kpi/movers-window";
import { parseWatchlistViewState } from "@/lib/kpi/watchlist-view";

import { DashboardView } from "./_components/dashboard-view";
import { WatchlistView } from "./_components/watchlist-view";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The REST API's range parameter; a page falls back to the default rather than failing on a bad one. */
const rangeParamSchema = pricesQuerySchema.shape.range.catch("session");

/** The landing view (no `symbol` parameter): every followed symbol, live, in the sort and search the URL names. */
async function renderWatchlist(params: Record<string, string | string[] | undefined>) {
  const get = (name: string) => {
    const value = params[name];
    return typeof value === "string" ? value : null;
  };
  return (
    <WatchlistView
      initial={await getWatchlist(DEFAULT_WATCHLIST_POINTS)}
      initialView={parseWatchlistViewState(get)}
      hasViewInUrl={["sort", "dir", "q"].some((name) => get(name) !== null)}
    />
  );
}

/**
 * The live dashboard: the server renders the first snapshot, the browser keeps it live. Of the symbols
 * it sends only the picker's first page and the selected one; the picker searches the rest.
 */
export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  if (params.symbol === undefined) return renderWatchlist(params);
  const requested = typeof params.symbol === "string" ? normalizeSymbolInput(params.symbol) : null;
  const range = rangeParamSchema.parse(params.range);
  const [firstPage, requestedSummary] = await Promise.all([
    getSymbolPage({ q: null, limit: SYMBOL_PICKER_LIMIT, cursor: undefined }),
    requested ? getSymbolSummary(requested) : null,
  ]);
  const selected =
    (requestedSummary?.status === "removed" ? null : requestedSummary) ??
    firstPage.symbols.find((s) => s.status === "active") ??
    firstPage.symbols[0] ??
    null;
  const initial = selected ? await getSymbolView(selected.symbol, range) : null;
  return (
    <DashboardView
      key={`${selected?.symbol ?? ""}|${range}`}
      firstPage={firstPage}
      current={selected}
      range={range}
      initial={initial}
      moversWindows={listMoversWindows(getEnv().KPI_WINDOWS)}
      requestedSymbol={requested}
    />
  );
}
