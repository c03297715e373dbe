// GET /api/symbols: the symbols an analyst can pick, with status, source and market state.
import { getSymbolSummaries } from "@/app/_data/market";
import { withApi } from "@/lib/api/with-api";
import type { SymbolsResponse } from "@/lib/events/api-market";

export const dynamic = "force-dynamic";

export const GET = withApi(async () =>
  Response.json({ symbols: await getSymbolSummaries() } satisfies SymbolsResponse),
);
