import { createHmac, timingSafeEqual } from "node:crypto";

/** Header the admin UI sends its CSRF token in. */
// The header name is part of the admin API contract (the browser sends it): defined there.
export { CSRF_HEADER } from "@/lib/events/api-admin-requests";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The CSRF token of a session: HMAC-SHA256(secret, session token). Bound to the session, so it needs no
 * storage, changes at every sign-in, and a token taken from one session is worthless in another.
 */
export function computeCsrfToken(sessionToken: string, secret: string): string {
  return createHmac("sha256", secret).update(`csrf:${sessionToken}`).digest("base64url");
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function isCsrfTokenValid(presented: string | null | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type CrossSiteInput = {
  method: string;
  /** The `Origin` header (null when absent). */
  origin: string | null;
  /** The `Referer` header, consulted only when Origin is absent. */
  referer: string | null;
  /** The `Sec-Fetch-Site` header browsers send (same-origin, same-site, cross-site, none). */
  secFetchSite: string | null;
  /** Origins this server answers as: its own (from Host and protocol) and PUBLIC_URL's. */
  allowedOrigins: readonly string[];
};

export type CrossSiteDecision = { isAllowed: true } | { isAllowed: false; reason: string };

/**
 * Decides whether a request may change state. Safe methods always may. Otherwise a browser's
 * `Sec-Fetch-Site` must not say same-site or cross-site (a sibling subdomain is another site for us),
 * and the Origin (or, without one, the Referer's origin) must be one of ours. A request with neither
 * header is not from a browser page (curl, scripts): it is let through here and still needs the
 * session cookie and the CSRF token.
 */
export function decideCrossSite(input: CrossSiteInput): CrossSiteDecision {
  if (isSafeMethod(input.method)) return { isAllowed: true };
  const site = input.secFetchSite?.toLowerCase() ?? null;
  if (site === "cross-site" || site === "same-site")
    return { isAllowed: false, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  const claimed = input.origin ?? originOf(input.referer);
  if (input.origin === "null")
    return { isAllowed: false, reason: "cross-site request refused (opaque origin)" };
  if (claimed === null)
    return input.referer
      ? { isAllowed: false, reason: "cross-site request refused (unreadable Referer)" }
      : { isAllowed: true };
  const allowed = new Set(input.allowedOrigins.map((o) => o.toLowerCase()));
  return allowed.has(claimed.toLowerCase())
    ? { isAllowed: true }
    : { isAllowed: false, reason: `cross-site request refused (origin ${claimed} is not this site)` };
}

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}
