// GET /api/admin/webhooks/deliveries?endpointId=&status=&limit=&before=: delivery status, newest first.
import { webhookAdminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const GET = webhookAdminApi.listDeliveries;
