// GET /api/watchlist?points=48: every followed symbol's day (last price, change, volume, range) with a sparkline.
import { getWatchlist } from "@/app/_data/watchlist";
import { watchlistQuerySchema } from "@/lib/api/market-params";
import { parseSearchParams, withApi } from "@/lib/api/with-api";
import type { WatchlistResponse } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withApi(async (request) => {
  const { points } = parseSearchParams(request, (p) => watchlistQuerySchema.parse(p));
  return Response.json((await getWatchlist(points)) satisfies WatchlistResponse);
});
