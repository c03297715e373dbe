// GET /api/metrics: Prometheus exposition of this web process (Node process metrics, Socket.IO clients,
// rooms and emits, producedAt → emitted latency). Each worker serves its own series on its own port.
import { withApi } from "@/lib/api/with-api";
import { getWebMetrics } from "@/lib/metrics/web-metrics";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => {
  const { registry } = getWebMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
});
