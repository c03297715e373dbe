// PATCH /api/admin/symbols/[symbol]: pause, resume or set the poll interval;
// DELETE /api/admin/symbols/[symbol]: stop following it (status removed, history kept). Both audited.
import { adminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const PATCH = adminApi.updateSymbol;
export const DELETE = adminApi.removeSymbol;
