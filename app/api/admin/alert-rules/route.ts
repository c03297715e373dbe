// GET /api/admin/alert-rules: the alert rules with their event counts;
// POST /api/admin/alert-rules: create a rule (validated, audited; effective within 5 s).
import { getAdminDeps } from "@/app/(admin)/_data/admin-context";
import { createAlertRulesApi } from "@/lib/admin/alert-rules-api";

export const dynamic = "force-dynamic";

const api = createAlertRulesApi(getAdminDeps);

export const GET = api.list;
export const POST = api.create;
