// GET /api/ops: the pipeline monitor's newest snapshot (lag, throughput, latency, freshness, dead
// letters, workers), the same body the /ops page receives live as `ops:updated`; 503 without a monitor.
import { getOpsSnapshot } from "@/app/_data/ops";
import { ApiError } from "@/lib/api/errors";
import { withApi } from "@/lib/api/with-api";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => {
  const snapshot = await getOpsSnapshot();
  if (!snapshot) throw new ApiError("unavailable", "the pipeline monitor runs only in server.ts");
  return Response.json(snapshot satisfies OpsSnapshot);
});
