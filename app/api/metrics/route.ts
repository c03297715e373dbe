// GET /api/metrics: Prometheus text exposition of the pipeline (components, ingest and stream counters).
import { getHealthReport } from "@/app/_data/health";
import { withApi } from "@/lib/api/with-api";
import { formatMetrics } from "@/lib/health/format-metrics";

export const dynamic = "force-dynamic";

export const GET = withApi(
  async () =>
    new Response(formatMetrics(await getHealthReport()), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    }),
);
