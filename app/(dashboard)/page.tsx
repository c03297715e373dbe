import { redirect } from "next/navigation";

import { getWatchlist } from "@/app/_data/watchlist";
import { DEFAULT_WATCHLIST_POINTS } from "@/lib/api/market-params";
import { normalizeSymbolInput } from "@/lib/events/symbol";
import { parseWatchlistViewState } from "@/lib/kpi/watchlist-view";

import { WatchlistView } from "./_components/watchlist-view";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The landing view: every followed symbol, live, in the sort and search the URL names. Links from
 * before the symbol page (`/?symbol=X&range=…`, issue 15) go to `/symbol/X` with the rest of the query.
 */
export default async function WatchlistPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const get = (name: string) => {
    const value = params[name];
    return typeof value === "string" ? value : null;
  };
  const requested = get("symbol") ? normalizeSymbolInput(get("symbol")!) : "";
  if (requested) {
    const rest = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]) => (k === "symbol" || typeof v !== "string" ? [] : [[k, v]])),
    );
    redirect(`/symbol/${encodeURIComponent(requested)}${rest.size > 0 ? `?${rest.toString()}` : ""}`);
  }
  return (
    <WatchlistView
      initial={await getWatchlist(DEFAULT_WATCHLIST_POINTS)}
      initialView={parseWatchlistViewState(get)}
      hasViewInUrl={["sort", "dir", "q"].some((name) => get(name) !== null)}
    />
  );
}
