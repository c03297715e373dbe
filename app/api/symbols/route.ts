// GET /api/symbols?q=&limit=&cursor=: one page of the symbols an analyst can pick (searchable), with
// status, source and market state.
import { getSymbolPage } from "@/app/_data/market";
import { parseSearchParams, withApi } from "@/lib/api/with-api";
import type { SymbolsResponse } from "@/lib/events/api-market";
import { symbolsQuerySchema } from "@/lib/events/symbol-page";

export const dynamic = "force-dynamic";

export const GET = withApi(async (request) => {
  const query = parseSearchParams(request, (params) => symbolsQuerySchema.parse(params));
  return Response.json((await getSymbolPage(query)) satisfies SymbolsResponse);
});
