import { fetchJson } from "@/components/realtime/fetch-json";
import {
  addSymbolsOutcomeSchema,
  adminSessionResponseSchema,
  adminSymbolsResponseSchema,
  auditPageSchema,
  purgeResponseSchema,
  signOutResponseSchema,
  symbolChangeResponseSchema,
} from "@/lib/events/api-admin";

export function signIn(username: string, password: string) {
  return fetchJson("/api/admin/session", adminSessionResponseSchema, {
    method: "POST",
    body: { username, password },
  });
}

/**
 * Admin API calls of a signed-in page; every state-changing call carries the session's CSRF token.
 * Failures throw ApiResponseError (status 401 once the session is gone).
 */
export function createAdminClient(csrfToken: string) {
  const item = (symbol: string) => `/api/admin/symbols/${encodeURIComponent(symbol)}`;
  // CSRF_HEADER of lib/auth/csrf.ts, which is Node-only (node:crypto).
  const headers = { "x-csrf-token": csrfToken };
  return {
    signOut: () => fetchJson("/api/admin/session", signOutResponseSchema, { method: "DELETE", headers }),
    listSymbols: (signal?: AbortSignal) =>
      fetchJson("/api/admin/symbols", adminSymbolsResponseSchema, { signal }),
    addSymbols: (symbols: string, pollIntervalSeconds?: number) =>
      fetchJson("/api/admin/symbols", addSymbolsOutcomeSchema, {
        method: "POST",
        headers,
        body: pollIntervalSeconds === undefined ? { symbols } : { symbols, pollIntervalSeconds },
      }),
    updateSymbol: (symbol: string, change: { status?: "active" | "paused"; pollIntervalSeconds?: number }) =>
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
