import { redirect } from "next/navigation";

import { getSymbolPage, getSymbolSummary, getSymbolView } from "@/app/_data/market";
import { pricesQuerySchema } from "@/lib/api/market-params";
import { getEnv } from "@/lib/env";
import { normalizeSymbolInput } from "@/lib/events/symbol";
import { SYMBOL_PICKER_LIMIT } from "@/lib/events/symbol-page";
import { listMoversWindows } from "@/lib/kpi/movers-window";

import { SymbolDashboard as DashboardView } from "./symbol/[symbol]/_components/symbol-dashboard";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The REST API's range parameter; a page falls back to the default rather than failing on a bad one. */
const rangeParamSchema = pricesQuerySchema.shape.range.catch("session");

/**
 * The live dashboard: the server renders the first snapshot, the browser keeps it live. Of the symbols
 * it sends only the picker's first page and the selected one; the picker searches the rest.
 */
export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const requested = typeof params.symbol === "string" ? normalizeSymbolInput(params.symbol) : null;
  // Links from before the symbol page (issue 15) keep working: the rest of the query goes along.
  if (requested) {
    const rest = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]) => (k === "symbol" || typeof v !== "string" ? [] : [[k, v]])),
    );
    redirect(`/symbol/${encodeURIComponent(requested)}${rest.size > 0 ? `?${rest.toString()}` : ""}`);
  }
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
      custom={null}
      initial={initial}
      moversWindows={listMoversWindows(getEnv().KPI_WINDOWS)}
      requestedSymbol={requested}
    />
  );
}
