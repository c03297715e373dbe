import { ZodError } from "zod";

import { API_ERRORS, ApiError } from "@/lib/api/errors";
import type { ApiErrorBody } from "@/lib/events/api-error";
import { formatIssues } from "@/lib/events/format-issues";
import { createLogger, describeError } from "@/lib/log";
import { createSharedRead } from "@/lib/shared-read";

const logger = createLogger("web-api");

export type ApiContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: maps ApiError and zod errors to JSON answers with the right status, logs
 * unexpected errors and answers 500 without internals, and marks answers uncacheable.
 */
export function withApi<P = Record<string, string>>(
  handler: (request: Request, ctx: ApiContext<P>) => Promise<Response>,
) {
  return async (request: Request, ctx: ApiContext<P>): Promise<Response> => {
    try {
      const response = await handler(request, ctx);
      if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
      return response;
    } catch (error) {
      return toErrorResponse(error, request);
    }
  };
}

type SharedAnswer = { status: number; headers: [string, string][]; body: string };
const sharedReads = createSharedRead<string, SharedAnswer>({
  onStalled: (key) => logger.warn({ url: key }, "a shared read ran past its limit; reading again beside it"),
});

/**
 * withApi for a read whose answer depends on its URL alone (the market data every page may read; the
 * handler gets the URL, not the request, so that it cannot depend on anything else): requests for the
 * same URL at about the same time share one run of the handler (lib/shared-read.ts: never an answer read
 * before the request came, which the pages' live merge relies on). A wave of pages reloading at once (a
 * web server's restart reconnecting them all, a backlog sending each back for what its live update left
 * out) then costs the database two reads per URL rather than one per page.
 */
export function withSharedApi(handler: (url: URL) => Promise<Response>) {
  return withApi(async (request) => {
    const url = new URL(request.url);
    const answer = await sharedReads(url.pathname + url.search, async () => {
      const response = await handler(url);
      return { status: response.status, headers: [...response.headers], body: await response.text() };
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
}

/** The one writer of error bodies: their shape is apiErrorBodySchema, which the browser parses. */
export function toErrorResponse(error: unknown, request?: Request): Response {
  if (error instanceof ZodError) {
    return Response.json(
      { error: { code: "bad_request", message: formatIssues(error.issues) } } satisfies ApiErrorBody,
      { status: 400, headers: { "cache-control": "no-store" } },
    );
  }
  if (error instanceof ApiError) {
    const spec = API_ERRORS[error.code];
    const body = spec.expose
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: "internal error" };
    if (!spec.expose) logger.error({ err: error.message, url: request?.url }, "api error");
    return Response.json({ error: body } satisfies ApiErrorBody, {
      status: spec.status,
      headers: { "cache-control": "no-store", ...error.headers },
    });
  }
  logger.error(
    { err: describeError(error), stack: (error as Error)?.stack, url: request?.url },
    "unexpected api error",
  );
  return Response.json(
    { error: { code: "internal", message: "internal error; see the server log" } } satisfies ApiErrorBody,
    { status: 500, headers: { "cache-control": "no-store" } },
  );
}

/** Parses URL search params with a zod schema (400 on failure). */
export function parseSearchParams<T>(from: Request | URL, parse: (input: Record<string, string>) => T): T {
  const url = from instanceof URL ? from : new URL(from.url);
  return parse(Object.fromEntries(url.searchParams));
}
