// GET /api/prices?symbol=AAPL&range=1h|session|5d (or &from=YYYY-MM-DD&to=YYYY-MM-DD, trading dates):
// bars with MA 5/20, EMA 20 and VWAP, oldest first.
import { getPriceDays, getPriceRange, getSymbolOrThrow } from "@/app/_data/market";
import { pricesQuerySchema } from "@/lib/api/market-params";
import { parseSearchParams, withSharedApi } from "@/lib/api/with-api";
import type { PricesResponse } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withSharedApi(async (url) => {
  const query = parseSearchParams(url, (p) => pricesQuerySchema.parse(p));
  const symbol = await getSymbolOrThrow(query.symbol);
  const bars =
    query.from !== undefined && query.to !== undefined
      ? await getPriceDays(symbol, query.from, query.to)
      : await getPriceRange(query.symbol, query.range);
  return Response.json({
    symbol: query.symbol,
    range: query.range,
    from: query.from ?? null,
    to: query.to ?? null,
    timeZone: symbol.exchangeTimezone,
    bars,
  } satisfies PricesResponse);
});
