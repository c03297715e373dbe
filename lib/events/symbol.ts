import { z } from "zod";

/**
 * A ticker as Yahoo Finance spells it: AAPL, BRK-B, WSU.DE, EURUSD=X, BTC-USD, ^GSPC. Upper case,
 * at most 20 characters; anything else (spaces, quotes, SQL) is rejected before it reaches a query.
 */
export const SYMBOL_PATTERN = /^\^?[A-Z0-9][A-Z0-9.\-=]{0,19}$/;

export const symbolSchema = z
  .string()
  .trim()
  .min(1, "a symbol is required")
  .max(21, "a symbol has at most 20 characters")
  .regex(
    SYMBOL_PATTERN,
    "a symbol is letters, digits and . - = (optionally starting with ^), e.g. AAPL or BRK-B",
  );

/** Normalises user input (case, surrounding space) before validation. */
export function normalizeSymbolInput(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Splits "aapl, msft  nvda" into ["AAPL", "MSFT", "NVDA"] (order kept, duplicates removed). */
export function splitSymbolList(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(/[\s,;]+/)) {
    const symbol = normalizeSymbolInput(part);
    if (symbol) seen.add(symbol);
  }
  return [...seen];
}

/** Where an admin-managed symbol stands: the ingest worker follows the active ones. */
export const symbolStatusSchema = z.enum(["active", "paused", "invalid", "removed"]);
export type SymbolStatus = z.infer<typeof symbolStatusSchema>;

/**
 * The statuses of a symbol the product follows (an admin added it and neither removed it nor saw the
 * source refuse it): the watchlist lists these, and alert rules and webhook filters may name only these.
 */
export const FOLLOWED_STATUSES = ["active", "paused"] as const satisfies readonly SymbolStatus[];

export function isFollowedStatus(status: SymbolStatus): status is (typeof FOLLOWED_STATUSES)[number] {
  return (FOLLOWED_STATUSES as readonly SymbolStatus[]).includes(status);
}

/** Where a symbol's bars come from; `external`: they arrive on the topic from elsewhere (not polled). */
export const symbolSourceSchema = z.enum(["yahoo", "replay", "synthetic", "external"]);
export type SymbolSource = z.infer<typeof symbolSourceSchema>;

/**
 * Whether the ingest worker polls a source on each symbol's own poll interval: only Yahoo does. Replay
 * and synthetic bars follow the wall clock, and external bars arrive from elsewhere, so a poll interval
 * means nothing for them (the admin API refuses one, and the admin page offers no editor).
 */
export function isPollingSource(source: SymbolSource): boolean {
  return source === "yahoo";
}
