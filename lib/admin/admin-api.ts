import { isHttpsRequest, readJsonBody } from "@/lib/admin/admin-request";
import {
  addSymbolsBodySchema,
  auditQuerySchema,
  loginBodySchema,
  purgeSymbolBodySchema,
  symbolParamSchema,
  updateSymbolBodySchema,
} from "@/lib/events/api-admin-requests";
import { endAdminSession, startAdminSession } from "@/lib/admin/admin-session";
import { toAdminSymbolView, toAuditEntryView } from "@/lib/admin/admin-views";
import type { AdminDeps, EnabledAdminDeps } from "@/lib/admin/admin-deps";
import {
  addSymbols,
  purgeSymbol,
  removeSymbol,
  updateSymbolSettings,
  type AdminActor,
  type SymbolAdminDeps,
} from "@/lib/admin/symbol-admin";
import { withAdminApi, withAdminPublicApi, type AdminRequest } from "@/lib/admin/with-admin-api";
import { ApiError } from "@/lib/api/errors";
import type {
  AddSymbolsOutcome,
  AdminSessionResponse,
  AdminSymbolsResponse,
  AuditPage,
  PurgeResponse,
  SignOutResponse,
  SymbolChangeResponse,
} from "@/lib/events/api-admin";
import { serializeCookie } from "@/lib/auth/http-cookies";
import { describeSignInRefusal } from "@/lib/auth/sign-in-delay";
import { SESSION_COOKIE_NAME } from "@/lib/auth/session-token";
import { insertAuditEntry, listAuditEntries } from "@/lib/db/queries/audit-log";
import { countSymbolsByStatus, listSymbolPage, listSymbolsWithActivity } from "@/lib/db/queries/symbols";
import { formatSymbolCursor, symbolsQuerySchema, type SymbolsQuery } from "@/lib/events/symbol-page";

type SymbolParams = { symbol: string };

const json = (body: unknown, status = 200, headers?: HeadersInit) => Response.json(body, { status, headers });

function sessionCookie(req: AdminRequest<unknown>, value: string, maxAgeSeconds: number): string {
  const isSecure = req.deps.config.cookieSecure ?? isHttpsRequest(req.request);
  return serializeCookie(SESSION_COOKIE_NAME, value, {
    maxAgeSeconds,
    isSecure,
    sameSite: "Lax",
    now: req.now,
  });
}

function symbolDeps(deps: EnabledAdminDeps): SymbolAdminDeps {
  return {
    db: deps.db,
    validator: deps.validator,
    defaultSource: deps.defaultSource,
    defaultTimeZone: deps.defaultTimeZone,
    clock: deps.clock,
  };
}

async function getSymbolView(deps: EnabledAdminDeps, symbol: string) {
  const [row] = await listSymbolsWithActivity(deps.db, { includeRemoved: true, symbol });
  return row ? toAdminSymbolView(row, deps.defaultSource) : null;
}

/** One page of the admin's symbol table (the API's answer, and the first render of /admin). */
export async function getAdminSymbolPage(
  deps: AdminDeps,
  query: SymbolsQuery,
): Promise<AdminSymbolsResponse> {
  const [page, statusCounts] = await Promise.all([
    listSymbolPage(deps.db, { q: query.q, limit: query.limit, after: query.cursor, includeRemoved: true }),
    countSymbolsByStatus(deps.db),
  ]);
  return {
    source: deps.defaultSource,
    symbols: page.rows.map((r) => toAdminSymbolView(r, deps.defaultSource)),
    nextCursor: page.next === null ? null : formatSymbolCursor(page.next),
    total: page.total,
    statusCounts,
  };
}

/** The symbol of a `[symbol]` route: 400 for anything that is not a ticker (quotes, SQL, markup). */
function parseSymbolParam(params: SymbolParams): string {
  const parsed = symbolParamSchema.safeParse(params.symbol);
  if (!parsed.success)
    throw new ApiError(
      "bad_request",
      `${JSON.stringify(params.symbol.slice(0, 24))} is not a symbol: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  return parsed.data;
}

/**
 * The admin REST API, framework-free: each member is a route handler `(Request, { params })` the
 * files under app/api/admin export, and tests call directly with a Request and their own deps.
 */
export function createAdminApi(getDeps: () => AdminDeps) {
  return {
    /** POST /api/admin/session: sign in. */
    login: withAdminPublicApi(getDeps, async (req) => {
      const { deps, clientIp, now } = req;
      const body = await readJsonBody(req.request, loginBodySchema);
      const attempt = { clientIp, username: body.username, now };
      const decision = await deps.signInThrottle.claimAttempt(attempt);
      if (!decision.isAllowed)
        throw new ApiError("rate_limited", describeSignInRefusal(decision), undefined, {
          "retry-after": String(Math.ceil(decision.retryAfterMs / 1000)),
        });
      if (!deps.checkCredentials(body.username, body.password)) {
        deps.logger.warn({ clientIp, username: body.username.slice(0, 64) }, "admin sign-in failed");
        await insertAuditEntry(deps.db, {
          actor: body.username.slice(0, 64),
          action: "session.login_failed",
          clientIp,
        });
        throw new ApiError("unauthorized", "wrong username or password");
      }
      await deps.signInThrottle.recordSuccess(attempt);
      const { session, cookieValue } = await startAdminSession(deps.db, deps.config, {
        username: deps.config.credentials.username,
        clientIp,
        userAgent: req.request.headers.get("user-agent"),
        now,
      });
      await insertAuditEntry(deps.db, { actor: session.username, action: "session.login", clientIp });
      deps.logger.info({ clientIp, username: session.username }, "admin signed in");
      const maxAge = Math.floor((session.expiresAt - now) / 1000);
      return json(
        {
          username: session.username,
          expiresAt: session.expiresAt,
          csrfToken: session.csrfToken,
        } satisfies AdminSessionResponse,
        200,
        { "set-cookie": sessionCookie(req, cookieValue, maxAge) },
      );
    }),

    /** DELETE /api/admin/session: sign out (revokes the session, clears the cookie). */
    logout: withAdminApi(getDeps, async (req) => {
      await endAdminSession(req.deps.db, req.session, req.now);
      await insertAuditEntry(req.deps.db, {
        actor: req.session.username,
        action: "session.logout",
        clientIp: req.clientIp,
      });
      return json({ signedOut: true } satisfies SignOutResponse, 200, {
        "set-cookie": sessionCookie(req, "", 0),
      });
    }),

    /**
     * GET /api/admin/symbols?q=&limit=&cursor=: one page of every symbol (removed ones too) with status,
     * activity and last error, and the counts per status.
     */
    listSymbols: withAdminApi(getDeps, async ({ request, deps }) => {
      const query = symbolsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
      return json((await getAdminSymbolPage(deps, query)) satisfies AdminSymbolsResponse);
    }),

    /** POST /api/admin/symbols: add symbols (checked at the source); 201 when any was added or reactivated. */
    addSymbols: withAdminApi(getDeps, async (req) => {
      const body = await readJsonBody(req.request, addSymbolsBodySchema);
      const result = await addSymbols(symbolDeps(req.deps), toActor(req), body);
      const isAnyFollowed = result.added.length + result.reactivated.length > 0;
      if (!isAnyFollowed && result.rejected.length > 0) {
        throw new ApiError("bad_request", result.rejected.map((r) => r.reason).join("; "), result);
      }
      return json(result satisfies AddSymbolsOutcome, isAnyFollowed ? 201 : 200);
    }),

    /** PATCH /api/admin/symbols/[symbol]: pause, resume and/or set the poll interval. */
    updateSymbol: withAdminApi<SymbolParams>(getDeps, async (req) => {
      const symbol = parseSymbolParam(req.params);
      const body = await readJsonBody(req.request, updateSymbolBodySchema);
      const { isChanged } = await updateSymbolSettings(symbolDeps(req.deps), toActor(req), symbol, body);
      return json({
        changed: isChanged,
        symbol: await getSymbolView(req.deps, symbol),
      } satisfies SymbolChangeResponse);
    }),

    /** DELETE /api/admin/symbols/[symbol]: stop following (status removed, history kept). */
    removeSymbol: withAdminApi<SymbolParams>(getDeps, async (req) => {
      const symbol = parseSymbolParam(req.params);
      const { isChanged } = await removeSymbol(symbolDeps(req.deps), toActor(req), symbol);
      return json({
        changed: isChanged,
        symbol: await getSymbolView(req.deps, symbol),
      } satisfies SymbolChangeResponse);
    }),

    /** POST /api/admin/symbols/[symbol]/purge: delete a removed symbol's history; body {"confirm": "<SYMBOL>"}. */
    purgeSymbol: withAdminApi<SymbolParams>(getDeps, async (req) => {
      const symbol = parseSymbolParam(req.params);
      const body = await readJsonBody(req.request, purgeSymbolBodySchema);
      const deleted = await purgeSymbol(symbolDeps(req.deps), toActor(req), symbol, body.confirm);
      return json({ symbol, deleted } satisfies PurgeResponse);
    }),

    /** GET /api/admin/audit?limit=50&before=<id>&symbol=AAPL: audit entries, newest first. */
    listAudit: withAdminApi(getDeps, async ({ request, deps }) => {
      const query = auditQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
      const rows = await listAuditEntries(deps.db, {
        limit: query.limit + 1,
        beforeId: query.before,
        symbol: query.symbol,
      });
      const page = rows.slice(0, query.limit);
      return json({
        entries: page.map(toAuditEntryView),
        nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
      } satisfies AuditPage);
    }),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;

function toActor(req: AdminRequest<unknown> & { session: { username: string } }): AdminActor {
  return { username: req.session.username, clientIp: req.clientIp };
}
