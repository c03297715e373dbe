// GET /api/health: status of PostgreSQL, Kafka (topics present) and each worker (last heartbeat);
// 200 when everything is up, 503 otherwise, with the same plain-words summary the /health page shows.
import { getHealthReport } from "@/app/_data/health";
import { withApi } from "@/lib/api/with-api";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => {
  const report = await getHealthReport();
  return Response.json(report, { status: report.status === "ok" ? 200 : 503 });
});
