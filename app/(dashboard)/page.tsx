import { getSymbolSummaries, getSymbolView } from "@/app/_data/market";
import { pricesQuerySchema } from "@/lib/api/market-params";
import { getEnv } from "@/lib/env";
import { normalizeSymbolInput } from "@/lib/events/symbol";
import { listMoversWindows } from "@/lib/kpi/movers-window";

import { DashboardView } from "./_components/dashboard-view";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The REST API's range parameter; a page falls back to the default rather than failing on a bad one. */
const rangeParamSchema = pricesQuerySchema.shape.range.catch("session");

/** The live dashboard: the server renders the first snapshot, the browser keeps it live. */
export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const symbols = await getSymbolSummaries();
  const requested = typeof params.symbol === "string" ? normalizeSymbolInput(params.symbol) : null;
  const range = rangeParamSchema.parse(params.range);
  const selected =
    symbols.find((s) => s.symbol === requested) ??
    symbols.find((s) => s.status === "active") ??
    symbols[0] ??
    null;
  const initial = selected ? await getSymbolView(selected.symbol, range) : null;
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
