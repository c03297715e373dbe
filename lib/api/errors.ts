/**
 * Typed API error codes: each maps to an HTTP status and says whether its message may reach the
 * client. Internal errors are logged with details and answered with a generic message.
 */
export const API_ERRORS = {
  bad_request: { status: 400, expose: true },
  unauthorized: { status: 401, expose: true },
  forbidden: { status: 403, expose: true },
  not_found: { status: 404, expose: true },
  conflict: { status: 409, expose: true },
  payload_too_large: { status: 413, expose: true },
  rate_limited: { status: 429, expose: true },
  unavailable: { status: 503, expose: true },
  internal: { status: 500, expose: false },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}
