// GET /api/movers?window=5|15|60|day&limit=5: top gainers and losers of the newest window (day, or 0, is the trading day).
import { getLatestMovers } from "@/app/_data/market";
import { moversQuerySchema } from "@/lib/api/market-params";
import { parseSearchParams, withSharedApi } from "@/lib/api/with-api";
import type { MoversView } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withSharedApi(async (url) => {
  const { window, limit } = parseSearchParams(url, (p) => moversQuerySchema.parse(p));
  return Response.json((await getLatestMovers(window, limit)) satisfies MoversView);
});
