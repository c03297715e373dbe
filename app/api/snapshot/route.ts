// GET /api/snapshot?symbol=AAPL: newest bar, trading day and newest windows (the KPI cards).
import { getSnapshot } from "@/app/_data/market";
import { snapshotQuerySchema } from "@/lib/api/market-params";
import { parseSearchParams, withSharedApi } from "@/lib/api/with-api";
import type { Snapshot } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withSharedApi(async (url) => {
  const { symbol } = parseSearchParams(url, (p) => snapshotQuerySchema.parse(p));
  return Response.json((await getSnapshot(symbol)) satisfies Snapshot);
});
