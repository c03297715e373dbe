import { getAllowedOrigins } from "@/lib/admin/admin-request";
import { getAdminSession, type AdminSession } from "@/lib/admin/admin-session";
import { isAdminEnabled, type AdminDeps, type EnabledAdminDeps } from "@/lib/admin/admin-deps";
import { ApiError } from "@/lib/api/errors";
import { withApi, type ApiContext } from "@/lib/api/with-api";
import { getClientIp } from "@/lib/auth/client-ip";
import { CSRF_HEADER, decideCrossSite, isCsrfTokenValid, isSafeMethod } from "@/lib/auth/csrf";
import { parseCookieHeader } from "@/lib/auth/http-cookies";
import { SESSION_COOKIE_NAME } from "@/lib/auth/session-token";

export type AdminRequest<P> = {
  request: Request;
  deps: EnabledAdminDeps;
  params: P;
  clientIp: string | null;
  now: number;
};

export type SignedInRequest<P> = AdminRequest<P> & { session: AdminSession };

/** The session cookie's value in a request, if any. */
export function getSessionCookie(request: Request): string | null {
  return parseCookieHeader(request.headers.get("cookie")).get(SESSION_COOKIE_NAME) ?? null;
}

/**
 * Guards one admin route and maps its errors (withApi): 503 while admin is disabled, 403 for a
 * state-changing request from another site. `getDeps` is called per request, so the process builds
 * its deps lazily and tests pass their own.
 */
export function withAdminPublicApi<P = Record<string, string>>(
  getDeps: () => AdminDeps,
  handler: (req: AdminRequest<P>) => Promise<Response>,
) {
  return withApi<P>(async (request: Request, ctx: ApiContext<P>) => {
    const deps = getDeps();
    if (!isAdminEnabled(deps))
      throw new ApiError(
        "unavailable",
        `admin is disabled: ${deps.config.isEnabled ? "no credentials" : deps.config.reason}`,
      );
    const decision = decideCrossSite({
      method: request.method,
      origin: request.headers.get("origin"),
      referer: request.headers.get("referer"),
      secFetchSite: request.headers.get("sec-fetch-site"),
      allowedOrigins: getAllowedOrigins(request, deps.config.publicOrigin),
    });
    if (!decision.isAllowed) throw new ApiError("forbidden", decision.reason);
    // Routes without a dynamic segment get no params (and tests may call without a context).
    const params = (ctx as ApiContext<P> | undefined)?.params === undefined ? ({} as P) : await ctx.params;
    return handler({ request, deps, params, clientIp: getClientIp(request.headers), now: deps.clock() });
  });
}

/** As withAdminPublicApi, and 401 without a valid session, 403 for a state-changing request without its CSRF token. */
export function withAdminApi<P = Record<string, string>>(
  getDeps: () => AdminDeps,
  handler: (req: SignedInRequest<P>) => Promise<Response>,
) {
  return withAdminPublicApi<P>(getDeps, async (req) => {
    const session = await getAdminSession(
      req.deps.db,
      req.deps.config,
      getSessionCookie(req.request),
      req.now,
    );
    if (!session)
      throw new ApiError(
        "unauthorized",
        "sign in first: POST /api/admin/session with your username and password",
      );
    if (
      !isSafeMethod(req.request.method) &&
      !isCsrfTokenValid(req.request.headers.get(CSRF_HEADER), session.csrfToken)
    ) {
      throw new ApiError(
        "forbidden",
        `missing or wrong CSRF token: send the token from sign-in in the ${CSRF_HEADER} header`,
      );
    }
    return handler({ ...req, session });
  });
}
