// GET /api/symbols: the symbols an analyst can pick, with status, source and market state.
import { getSymbolSummaries } from "@/app/_data/market";
import { withApi } from "@/lib/api/with-api";

export const dynamic = "force-dynamic";

export const GET = withApi(async () => Response.json({ symbols: await getSymbolSummaries() }));
