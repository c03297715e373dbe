// GET /api/admin/audit?limit=50&before=<id>&symbol=AAPL: the admin audit log, newest first.
import { adminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const GET = adminApi.listAudit;
