// GET /api/health: status of PostgreSQL, Kafka (topics present) and each worker (last heartbeat);
// 200 when everything is up, 503 otherwise, with the same plain-words summary the /health page shows.
import { getHealthReport } from "@/app/_data/health";
import { withApi } from "@/lib/api/with-api";
import type { HealthReport } from "@/lib/events/api-health";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => {
  const report = await getHealthReport();
  return Response.json(report satisfies HealthReport, { status: report.status === "ok" ? 200 : 503 });
});
