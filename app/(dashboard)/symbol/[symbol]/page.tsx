import type { Metadata } from "next";

import { getSymbolPage, getSymbolSummary, getSymbolView } from "@/app/_data/market";
import { pricesQuerySchema } from "@/lib/api/market-params";
import { getEnv } from "@/lib/env";
import { normalizeSymbolInput, symbolSchema } from "@/lib/events/symbol";
import { SYMBOL_PICKER_LIMIT } from "@/lib/events/symbol-page";
import { listMoversWindows } from "@/lib/kpi/movers-window";

import { SymbolDashboard } from "./_components/symbol-dashboard";

export const dynamic = "force-dynamic";

type Params = Promise<{ symbol: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The REST API's range parameter; a page falls back to the default rather than failing on a bad one. */
const rangeParamSchema = pricesQuerySchema.shape.range.catch("session");

/** A custom range when `from` and `to` are both valid (the API's rules); otherwise none. */
function parseCustomRange(params: Record<string, string | string[] | undefined>) {
  const parsed = pricesQuerySchema.safeParse({ symbol: "X", from: params.from, to: params.to });
  return parsed.success && parsed.data.from && parsed.data.to
    ? { from: parsed.data.from, to: parsed.data.to }
    : null;
}

/**
 * The tab says which symbol it shows: "AAPL · Tickstream"; for one the product does not follow, which the
 * page answers with another symbol and a notice, "ZZZZ not followed · Tickstream" (the app's name alone
 * when the address names nothing).
 */
export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const requested = normalizeSymbolInput(decodeURIComponent((await params).symbol));
  const summary = await getSymbolSummary(requested);
  if (summary && summary.status !== "removed") return { title: `${summary.symbol} · Tickstream` };
  // Named only when it could be a symbol: the address is anyone's text.
  const named = symbolSchema.safeParse(requested).success ? requested : "Symbol";
  return { title: requested ? `${named} not followed · Tickstream` : "Tickstream" };
}

/**
 * A symbol's workspace: the server renders the first snapshot (KPI cards, the session's bars), the
 * browser keeps it live and draws the chart. Of the symbols it sends only the picker's first page and
 * the shown one; the picker searches the rest.
 */
export default async function SymbolPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const [{ symbol: raw }, query] = await Promise.all([params, searchParams]);
  const requested = normalizeSymbolInput(decodeURIComponent(raw));
  const range = rangeParamSchema.parse(query.range);
  const custom = parseCustomRange(query);
  const [firstPage, requestedSummary] = await Promise.all([
    getSymbolPage({ q: null, limit: SYMBOL_PICKER_LIMIT, cursor: undefined }),
    getSymbolSummary(requested),
  ]);
  const selected =
    (requestedSummary?.status === "removed" ? null : requestedSummary) ??
    firstPage.symbols.find((s) => s.status === "active") ??
    firstPage.symbols[0] ??
    null;
  const initial = selected ? await getSymbolView(selected.symbol, range) : null;
  return (
    <SymbolDashboard
      key={`${selected?.symbol ?? ""}|${range}|${custom?.from ?? ""}|${custom?.to ?? ""}`}
      firstPage={firstPage}
      current={selected}
      range={range}
      custom={custom}
      initial={initial}
      moversWindows={listMoversWindows(getEnv().KPI_WINDOWS)}
      requestedSymbol={requested}
    />
  );
}
