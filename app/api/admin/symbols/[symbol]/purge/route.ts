// POST /api/admin/symbols/[symbol]/purge: delete a removed symbol's history; body {"confirm": "<SYMBOL>"}.
import { adminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const POST = adminApi.purgeSymbol;
