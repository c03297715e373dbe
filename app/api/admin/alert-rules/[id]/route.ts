// PUT /api/admin/alert-rules/[id]: edit a rule; PATCH: pause or resume it; DELETE: retire it. All audited.
import { getAdminDeps } from "@/app/(admin)/_data/admin-context";
import { createAlertRulesApi } from "@/lib/admin/alert-rules-api";

export const dynamic = "force-dynamic";

const api = createAlertRulesApi(getAdminDeps);

export const PUT = api.update;
export const PATCH = api.setStatus;
export const DELETE = api.remove;
