import type { z } from "zod";

import { formatIssues } from "@/lib/events/format-issues";

/** What parsing untrusted input gives: the data, or a reason a person can read. Never an exception. */
export type ParseResult<T> = { ok: true; data: T } | { ok: false; reason: string };

/** Reads JSON text; a syntax error becomes a reason (`not JSON: …`) instead of an exception. */
export function parseJson(text: string): ParseResult<unknown> {
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Checks a value against `schema`; a mismatch becomes a reason listing the issues. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): ParseResult<T> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, reason: formatIssues(result.error.issues) };
}

/** JSON text checked against `schema` (messages, notification payloads, request bodies). */
export function parseJsonWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  const json = parseJson(text);
  return json.ok ? parseWith(schema, json.data) : json;
}
