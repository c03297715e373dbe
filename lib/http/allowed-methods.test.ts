import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { answerDisallowedMethod, API_ROUTE_METHODS, getAllowedMethods } from "@/lib/http/allowed-methods";

/** Each app/api route file as a pattern (`[x]` → `:x`, `[...x]` → `*`) with the methods it exports. */
function readRouteFiles(): Map<string, string[]> {
  const root = path.resolve("app/api");
  const routes = new Map<string, string[]>();
  for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (path.basename(file) !== "route.ts") continue;
    const segments = path
      .dirname(file)
      .split(path.sep)
      .map((s) => (s.startsWith("[...") ? "*" : s.replace(/^\[(.+)\]$/, ":$1")));
    const source = readFileSync(path.join(root, file), "utf8");
    const methods = [
      ...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g),
    ];
    routes.set(`/api/${segments.join("/")}`, methods.map((m) => m[1]!).sort());
  }
  return routes;
}

function fakeResponse() {
  const sent: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    writeHead: (status: number, headers: Record<string, string>) => Object.assign(sent, { status, headers }),
    end: (body?: string) => Object.assign(sent, { body }),
  } as unknown as ServerResponse;
  return { res, sent };
}

describe("allowed methods", () => {
  it("lists exactly the routes and methods of app/api", () => {
    const table = new Map(API_ROUTE_METHODS.map(([pattern, methods]) => [pattern, [...methods].sort()]));
    expect(table).toEqual(readRouteFiles());
  });

  it("adds HEAD to GET and OPTIONS to every route; pages answer GET and HEAD", () => {
    expect(getAllowedMethods("/api/health")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(getAllowedMethods("/api/admin/session")).toEqual(["POST", "DELETE", "OPTIONS"]);
    expect(getAllowedMethods("/api/admin/symbols/AAPL")).toEqual(["PATCH", "DELETE", "OPTIONS"]);
    expect(getAllowedMethods("/api/admin/symbols/AAPL/purge")).toEqual(["POST", "OPTIONS"]);
    expect(getAllowedMethods("/api/no/such/thing")).toEqual([
      "GET",
      "POST",
      "PUT",
      "PATCH",
      "DELETE",
      "HEAD",
      "OPTIONS",
    ]);
    expect(getAllowedMethods("/admin")).toEqual(["GET", "HEAD"]);
    expect(getAllowedMethods("/_next/static/chunks/x.js")).toContain("POST");
  });

  it("answers TRACE, CONNECT and a method a route does not handle with 405 and Allow", () => {
    for (const [method, pathname, allow] of [
      ["TRACE", "/api/health", "GET, HEAD, OPTIONS"],
      ["PUT", "/api/health", "GET, HEAD, OPTIONS"],
      ["CONNECT", "/api/admin/session", "POST, DELETE, OPTIONS"],
    ] as const) {
      const { res, sent } = fakeResponse();
      expect(answerDisallowedMethod(method, pathname, res)).toBe(true);
      expect(sent.status).toBe(405);
      expect(sent.headers).toMatchObject({ allow, "content-type": "application/json" });
      expect(JSON.parse(sent.body!)).toEqual({
        error: {
          code: "method_not_allowed",
          message: `${method} is not allowed on ${pathname}; allowed: ${allow}`,
        },
      });
    }
    const page = fakeResponse();
    expect(answerDisallowedMethod("DELETE", "/", page.res)).toBe(true);
    expect(page.sent.headers).toMatchObject({
      allow: "GET, HEAD",
      "content-type": "text/plain; charset=utf-8",
    });
  });

  it("lets a method the path handles through untouched", () => {
    const { res, sent } = fakeResponse();
    expect(answerDisallowedMethod("get", "/api/health", res)).toBe(false);
    expect(answerDisallowedMethod("OPTIONS", "/api/prices", res)).toBe(false);
    expect(answerDisallowedMethod("HEAD", "/ops", res)).toBe(false);
    expect(sent).toEqual({});
  });
});
