import type { z } from "zod";

import { apiErrorBodySchema } from "@/lib/events/api-error";
import { formatIssues } from "@/lib/events/format-issues";

/** A REST answer the page cannot use: not 2xx, not JSON, or not the shape its schema describes. */
export class ApiResponseError extends Error {
  override name = "ApiResponseError";
  constructor(
    /** The HTTP status, 0 when the request never got an answer. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type FetchJsonOptions = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses besides 2xx whose body is the resource itself (the health check's 503). */
  acceptedStatuses?: readonly number[];
};

/**
 * Calls a same-origin JSON API and returns its body parsed with `schema`. Throws ApiResponseError with
 * the server's own message for a non-2xx answer (the `{ error: { message } }` body of lib/api), and
 * with the failing fields when a 2xx body does not match the schema.
 */
export async function fetchJson<S extends z.ZodType>(
  url: string,
  schema: S,
  options: FetchJsonOptions = {},
): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiResponseError(
      0,
      `the server does not answer (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  // A body that is not JSON is not lost: it is reported below, as the status alone for an error
  // answer or as "answered … without a JSON body" for a 2xx one.
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok && !options.acceptedStatuses?.includes(response.status)) {
    const failure = apiErrorBodySchema.safeParse(body);
    throw new ApiResponseError(
      response.status,
      failure.success ? failure.data.error.message : `the server answered ${response.status}`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const path = url.split("?")[0];
    throw new ApiResponseError(
      response.status,
      body === undefined
        ? `${path} answered ${response.status} without a JSON body`
        : `${path} answered an unexpected body: ${formatIssues(parsed.error.issues)}`,
    );
  }
  return parsed.data;
}
