import type { SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";

/** A v1 symbol update for AAPL with no bars, day or windows, published at 0, with `fields` over it. */
export function makeSymbolUpdate(fields: Partial<SymbolKpiUpdateV1> = {}): SymbolKpiUpdateV1 {
  return {
    v: 1,
    type: "symbol",
    symbol: "AAPL",
    bars: [],
    day: null,
    windows: [],
    publishedAt: 0,
    ...fields,
  };
}
