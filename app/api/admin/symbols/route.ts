// GET /api/admin/symbols: every symbol with status, source, poll interval and activity;
// POST /api/admin/symbols: add symbols ({"symbols": "AAPL, MSFT"}), checked at the source, audited.
import { adminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const GET = adminApi.listSymbols;
export const POST = adminApi.addSymbols;
