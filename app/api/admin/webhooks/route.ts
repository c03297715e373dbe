// GET /api/admin/webhooks: every webhook endpoint (never its secret);
// POST /api/admin/webhooks: add one ({"url", "description", "ruleIds", "symbols", "isEnabled"}); answers its secret once.
import { webhookAdminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const GET = webhookAdminApi.listEndpoints;
export const POST = webhookAdminApi.createEndpoint;
