// GET /api/windows?symbol=AAPL&window=5&limit=100: tumbling-window KPIs of a symbol, oldest first.
import { getWindowKpis } from "@/app/_data/market";
import { windowsQuerySchema } from "@/lib/api/market-params";
import { parseSearchParams, withSharedApi } from "@/lib/api/with-api";
import type { WindowsResponse } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withSharedApi(async (url) => {
  const { symbol, window, limit } = parseSearchParams(url, (p) => windowsQuerySchema.parse(p));
  return Response.json({
    symbol,
    windowMinutes: window,
    windows: await getWindowKpis(symbol, window, limit),
  } satisfies WindowsResponse);
});
