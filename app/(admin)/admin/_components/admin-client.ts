import type { z } from "zod";

import { fetchJson } from "@/components/realtime/fetch-json";
import {
  addSymbolsOutcomeSchema,
  adminSessionResponseSchema,
  adminSymbolsResponseSchema,
  auditPageSchema,
  purgeResponseSchema,
  symbolChangeResponseSchema,
} from "@/lib/events/api-admin";
import {
  CSRF_HEADER,
  type addSymbolsBodySchema,
  type LoginBody,
  type updateSymbolBodySchema,
} from "@/lib/events/api-admin-requests";
import { toSymbolsSearch } from "@/lib/events/symbol-page";

// Bodies as the browser sends them (before the server's transforms: a symbol list may be one string).
type AddSymbolsRequest = z.input<typeof addSymbolsBodySchema>;
type UpdateSymbolRequest = z.input<typeof updateSymbolBodySchema>;

export function signIn(credentials: LoginBody) {
  return fetchJson("/api/admin/session", adminSessionResponseSchema, { method: "POST", body: credentials });
}

/**
 * Admin API calls of a signed-in page; every state-changing call carries the session's CSRF token.
 * Failures throw ApiResponseError (status 401 once the session is gone).
 */
export function createAdminClient(csrfToken: string) {
  const item = (symbol: string) => `/api/admin/symbols/${encodeURIComponent(symbol)}`;
  const headers = { [CSRF_HEADER]: csrfToken };
  return {
    listSymbols: (query: { q: string | null; cursor: string | null; limit: number }, signal?: AbortSignal) =>
      fetchJson(`/api/admin/symbols${toSymbolsSearch(query)}`, adminSymbolsResponseSchema, { signal }),
    addSymbols: (request: AddSymbolsRequest) =>
      fetchJson("/api/admin/symbols", addSymbolsOutcomeSchema, { method: "POST", headers, body: request }),
    updateSymbol: (symbol: string, change: UpdateSymbolRequest) =>
      fetchJson(item(symbol), symbolChangeResponseSchema, { method: "PATCH", headers, body: change }),
    removeSymbol: (symbol: string) =>
      fetchJson(item(symbol), symbolChangeResponseSchema, { method: "DELETE", headers }),
    purgeSymbol: (symbol: string, confirm: string) =>
      fetchJson(`${item(symbol)}/purge`, purgeResponseSchema, { method: "POST", headers, body: { confirm } }),
    listAudit: (before?: number, signal?: AbortSignal) =>
      fetchJson(`/api/admin/audit?limit=20${before ? `&before=${before}` : ""}`, auditPageSchema, { signal }),
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;
