import { z } from "zod";

import { normalizeSymbolInput, splitSymbolList, symbolSchema } from "@/lib/events/symbol";

/**
 * The requests of the admin REST API (bodies, queries, the CSRF header): lib/admin validates them,
 * the admin page builds them. Responses are in api-admin.ts.
 */

/** Header that carries the session's CSRF token on every state-changing admin request. */
export const CSRF_HEADER = "x-csrf-token";

/** Bounds of a symbol's poll interval in seconds (the symbols table checks the same). */
export const POLL_INTERVAL_MIN_SECONDS = 5;
export const POLL_INTERVAL_MAX_SECONDS = 3600;
/** Most symbols one add request may carry. */
export const MAX_SYMBOLS_PER_ADD = 50;
/** Largest request body the admin API reads. */
export const MAX_ADMIN_BODY_BYTES = 16 * 1024;

// Messages omit the field name: the error mapping prefixes each issue with its path.
const POLL_RANGE = `must be between ${POLL_INTERVAL_MIN_SECONDS} and ${POLL_INTERVAL_MAX_SECONDS} seconds`;
const pollIntervalSchema = z
  .number({ error: `a number of seconds: ${POLL_RANGE}` })
  .int(`a whole number of seconds: ${POLL_RANGE}`)
  .min(POLL_INTERVAL_MIN_SECONDS, POLL_RANGE)
  .max(POLL_INTERVAL_MAX_SECONDS, POLL_RANGE);

/** A symbol in a URL path or a body: case and surrounding space forgiven, format enforced. */
export const symbolParamSchema = z
  .string()
  .max(64, "a symbol has at most 20 characters")
  .transform(normalizeSymbolInput)
  .pipe(symbolSchema);

export const loginBodySchema = z.strictObject({
  username: z
    .string({ error: "username is required" })
    .min(1, "username is required")
    .max(128, "username is too long"),
  password: z
    .string({ error: "password is required" })
    .min(1, "password is required")
    .max(1024, "password is too long"),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

/**
 * Symbols to add: `"aapl, msft nvda"` or `["AAPL", "MSFT"]`; split on commas, semicolons and
 * whitespace, upper-cased, de-duplicated. Each must be a valid ticker, or the whole request is refused
 * with every offender named.
 */
export const addSymbolsBodySchema = z.strictObject({
  symbols: z
    .union(
      [
        z.string().max(4096, `too much text: add at most ${MAX_SYMBOLS_PER_ADD} symbols at a time`),
        z.array(z.string().max(64)).max(MAX_SYMBOLS_PER_ADD),
      ],
      {
        error: 'symbols is required: a list like "AAPL, MSFT" or ["AAPL", "MSFT"]',
      },
    )
    .transform((value, ctx) => {
      const list = splitSymbolList(Array.isArray(value) ? value.join(",") : value);
      if (list.length === 0)
        ctx.addIssue({ code: "custom", message: "enter at least one symbol, e.g. AAPL" });
      if (list.length > MAX_SYMBOLS_PER_ADD)
        ctx.addIssue({
          code: "custom",
          message: `add at most ${MAX_SYMBOLS_PER_ADD} symbols at a time (got ${list.length})`,
        });
      const malformed = list.filter((s) => !symbolSchema.safeParse(s).success);
      if (malformed.length > 0) {
        const shown = malformed
          .slice(0, 5)
          .map((s) => JSON.stringify(s.slice(0, 24)))
          .join(", ");
        ctx.addIssue({
          code: "custom",
          message: `not a valid symbol: ${shown}; a symbol is letters, digits and . - = (optionally starting with ^), e.g. AAPL or BRK-B`,
        });
      }
      return list;
    }),
  pollIntervalSeconds: pollIntervalSchema.optional(),
});
export type AddSymbolsBody = z.infer<typeof addSymbolsBodySchema>;

/** Pause (`paused`), resume (`active`) and/or a new poll interval; at least one of them. */
export const updateSymbolBodySchema = z
  .strictObject({
    status: z
      .enum(["active", "paused"], { error: 'status must be "active" (resume) or "paused" (pause)' })
      .optional(),
    pollIntervalSeconds: pollIntervalSchema.optional(),
  })
  .refine(
    (body) => body.status !== undefined || body.pollIntervalSeconds !== undefined,
    "send status and/or pollIntervalSeconds",
  );
export type UpdateSymbolBody = z.infer<typeof updateSymbolBodySchema>;

export const purgeSymbolBodySchema = z.strictObject({
  confirm: z
    .string({ error: 'confirm is required: send {"confirm": "<SYMBOL>"} to delete the history' })
    .max(64),
});

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
  symbol: symbolParamSchema.optional(),
});
