// PATCH /api/admin/webhooks/[id]: enable, disable, describe or filter an endpoint;
// DELETE /api/admin/webhooks/[id]: remove it with its deliveries. Both audited.
import { webhookAdminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const PATCH = webhookAdminApi.updateEndpoint;
export const DELETE = webhookAdminApi.deleteEndpoint;
