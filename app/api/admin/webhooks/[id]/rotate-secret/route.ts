// POST /api/admin/webhooks/[id]/rotate-secret: a new secret, answered once; the previous one keeps signing for 24 h.
import { webhookAdminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const POST = webhookAdminApi.rotateSecret;
