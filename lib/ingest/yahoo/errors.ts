import { describeError } from "@/lib/log";

export const YAHOO_ERROR_KINDS = [
  "rate_limited",
  "server_error",
  "network",
  "timeout",
  "validation",
  "not_found",
  "other",
] as const;
export type YahooErrorKind = (typeof YAHOO_ERROR_KINDS)[number];

/** Failures that say nothing about the symbol, only about Yahoo or the way there: retried with backoff. */
const TRANSIENT: ReadonlySet<YahooErrorKind> = new Set([
  "rate_limited",
  "server_error",
  "network",
  "timeout",
]);

export function isTransientYahooError(kind: YahooErrorKind): boolean {
  return TRANSIENT.has(kind);
}

/** yahoo-finance2 does not export its error classes from the package entry, so match on the name. */
export function isYahooValidationError(error: unknown): boolean {
  return error instanceof Error && error.name === "FailedYahooValidationError";
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Sorts an error thrown by a yahoo-finance2 call. The library throws `HTTPError` with `code` = HTTP status
 * for non-JSON error bodies (a 429 says "Too Many Requests"), and a plain `Error` carrying Yahoo's
 * description when the body is Yahoo's JSON error ("No data found, symbol may be delisted" with code
 * "Not Found"); fetch itself rejects with `TypeError: fetch failed` (cause = socket error) or, through
 * the client's timeout signal, with a `TimeoutError`.
 */
export function classifyYahooError(error: unknown): YahooErrorKind {
  if (isYahooValidationError(error)) return "validation";
  if (!(error instanceof Error)) return "other";
  if (error.name === "TimeoutError") return "timeout";
  const status = (error as { code?: unknown }).code;
  if (error.name === "HTTPError" && typeof status === "number") {
    if (status === 429) return "rate_limited";
    if (status >= 500) return "server_error";
    if (status === 404) return "not_found";
    return "other";
  }
  if (/no data found|symbol may be delisted|not found/i.test(error.message)) return "not_found";
  if (/too many requests/i.test(error.message)) return "rate_limited";
  if (error.name === "AbortError") return "timeout";
  if (isNetworkError(error)) return "network";
  return "other";
}

function isNetworkError(error: Error): boolean {
  if (error.name === "TypeError" && /fetch failed|network/i.test(error.message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  return typeof code === "string" && NETWORK_CODES.has(code);
}

/** What the admin sees as the symbol's last error. */
export function formatYahooError(kind: YahooErrorKind, error: unknown): string {
  return `yahoo ${kind.replace("_", " ")}: ${describeError(error).slice(0, 300)}`;
}
