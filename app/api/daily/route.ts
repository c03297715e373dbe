// GET /api/daily?symbol=AAPL&days=10: daily stats (open, high, low, close, volume, change %), oldest first.
import { getDailyStats } from "@/app/_data/market";
import { dailyQuerySchema } from "@/lib/api/market-params";
import { parseSearchParams, withSharedApi } from "@/lib/api/with-api";
import type { DailyResponse } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withSharedApi(async (url) => {
  const { symbol, days } = parseSearchParams(url, (p) => dailyQuerySchema.parse(p));
  return Response.json({ symbol, days: await getDailyStats(symbol, days) } satisfies DailyResponse);
});
