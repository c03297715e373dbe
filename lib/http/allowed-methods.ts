import type { ServerResponse } from "node:http";

import type { ApiErrorBody } from "@/lib/events/api-error";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * The methods each /api route handles: the exports of its app/api/.../route.ts (allowed-methods.test.ts
 * holds the two together). `:name` is one path segment, `*` the rest; the first match wins.
 */
export const API_ROUTE_METHODS: readonly (readonly [pattern: string, methods: readonly Method[]])[] = [
  ["/api/admin/alert-rules", ["GET", "POST"]],
  ["/api/admin/alert-rules/:id", ["PUT", "PATCH", "DELETE"]],
  ["/api/admin/audit", ["GET"]],
  ["/api/admin/session", ["POST", "DELETE"]],
  ["/api/admin/symbols", ["GET", "POST"]],
  ["/api/admin/symbols/:symbol", ["PATCH", "DELETE"]],
  ["/api/admin/symbols/:symbol/purge", ["POST"]],
  ["/api/admin/webhooks", ["GET", "POST"]],
  // Before ":id", which would take "deliveries" as an id.
  ["/api/admin/webhooks/deliveries", ["GET"]],
  ["/api/admin/webhooks/:id", ["PATCH", "DELETE"]],
  ["/api/admin/webhooks/:id/rotate-secret", ["POST"]],
  ["/api/alerts", ["GET"]],
  ["/api/daily", ["GET"]],
  ["/api/health", ["GET"]],
  ["/api/metrics", ["GET"]],
  ["/api/movers", ["GET"]],
  ["/api/ops", ["GET"]],
  ["/api/prices", ["GET"]],
  ["/api/snapshot", ["GET"]],
  ["/api/symbols", ["GET"]],
  ["/api/watchlist", ["GET"]],
  ["/api/windows", ["GET"]],
  // Unknown API paths: a JSON 404 for these methods (app/api/[...path]/route.ts).
  ["/api/*", ["GET", "POST", "PUT", "PATCH", "DELETE"]],
];

function matchesPattern(pattern: string, pathname: string): boolean {
  const want = pattern.split("/");
  const have = pathname.replace(/\/+$/, "").split("/");
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "*") return have.length > i;
    if (i >= have.length || (want[i] !== have[i] && !(want[i]!.startsWith(":") && have[i] !== "")))
      return false;
  }
  return want.length === have.length;
}

/** The methods Next itself knows; anything else (TRACE, CONNECT…) it cannot answer. */
const NEXT_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"];

const isApiPath = (pathname: string) => pathname.startsWith("/api/");

/**
 * The methods a path answers, as an Allow header lists them: an API route's own, plus HEAD with GET
 * and the OPTIONS that Next implements for every route handler; pages and static files GET and HEAD.
 * Next's own endpoints (/_next/…, and /__nextjs… of the development server) keep every method Next knows.
 */
export function getAllowedMethods(pathname: string): string[] {
  if (pathname.startsWith("/_next/") || pathname.startsWith("/__nextjs")) return NEXT_METHODS;
  if (!isApiPath(pathname)) return ["GET", "HEAD"];
  const methods = API_ROUTE_METHODS.find(([pattern]) => matchesPattern(pattern, pathname))?.[1] ?? [];
  return [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}

/**
 * Answers 405 with Allow when `method` is not one the path answers (TRACE, CONNECT, PUT on a page…),
 * before Next sees the request: Next has no answer of its own for methods outside its list. Returns
 * whether it answered.
 */
export function answerDisallowedMethod(method: string, pathname: string, res: ServerResponse): boolean {
  const allowed = getAllowedMethods(pathname);
  if (allowed.includes(method.toUpperCase())) return false;
  const allow = allowed.join(", ");
  const message = `${method} is not allowed on ${pathname}; allowed: ${allow}`;
  const isApi = isApiPath(pathname);
  const body = isApi
    ? JSON.stringify({ error: { code: "method_not_allowed", message } } satisfies ApiErrorBody)
    : `${message}\n`;
  res.writeHead(405, {
    allow,
    "content-type": isApi ? "application/json" : "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(method.toUpperCase() === "HEAD" ? undefined : body);
  return true;
}
