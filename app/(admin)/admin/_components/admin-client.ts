import type { AddSymbolsOutcome, AdminSymbol, AuditEntry } from "@/lib/api/admin-types";

/** An answer of the admin API that was not 2xx, with its message for a person. */
export class AdminRequestError extends Error {
  override name = "AdminRequestError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function send<T>(method: string, path: string, csrfToken: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    credentials: "same-origin",
  });
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok)
    throw new AdminRequestError(
      response.status,
      payload?.error?.message ?? `the server answered ${response.status}`,
    );
  return payload as T;
}

export function signIn(username: string, password: string) {
  return send<{ username: string; csrfToken: string; expiresAt: number }>(
    "POST",
    "/api/admin/session",
    null,
    { username, password },
  );
}

/** Admin API calls of a signed-in page; every state-changing call carries the session's CSRF token. */
export function createAdminClient(csrfToken: string) {
  const item = (symbol: string) => `/api/admin/symbols/${encodeURIComponent(symbol)}`;
  return {
    signOut: () => send<{ signedOut: boolean }>("DELETE", "/api/admin/session", csrfToken),
    listSymbols: () => send<{ symbols: AdminSymbol[] }>("GET", "/api/admin/symbols", null),
    addSymbols: (symbols: string, pollIntervalSeconds?: number) =>
      send<AddSymbolsOutcome>(
        "POST",
        "/api/admin/symbols",
        csrfToken,
        pollIntervalSeconds === undefined ? { symbols } : { symbols, pollIntervalSeconds },
      ),
    updateSymbol: (symbol: string, change: { status?: "active" | "paused"; pollIntervalSeconds?: number }) =>
      send<{ changed: boolean; symbol: AdminSymbol | null }>("PATCH", item(symbol), csrfToken, change),
    removeSymbol: (symbol: string) =>
      send<{ changed: boolean; symbol: AdminSymbol | null }>("DELETE", item(symbol), csrfToken),
    purgeSymbol: (symbol: string, confirm: string) =>
      send<{ symbol: string; deleted: Record<string, number> }>("POST", `${item(symbol)}/purge`, csrfToken, {
        confirm,
      }),
    listAudit: (before?: number) =>
      send<{ entries: AuditEntry[]; nextBefore: number | null }>(
        "GET",
        `/api/admin/audit?limit=20${before ? `&before=${before}` : ""}`,
        null,
      ),
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;
