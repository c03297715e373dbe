import type { YahooClient } from "@/lib/ingest/yahoo/client";
import { isYahooValidationError } from "@/lib/ingest/yahoo/errors";

/** Yahoo's quote endpoint takes a comma-separated list; much more than 100 symbols gets refused. */
const QUOTE_BATCH_SIZE = 100;

/** The part of a Yahoo quote the ingest worker and the admin lookup use. */
export type YahooQuoteInfo = {
  symbol: string;
  name: string | null;
  quoteType: string | null;
  exchangeTimezone: string | null;
  /** Yahoo's market state: REGULAR, PRE, PREPRE, POST, POSTPOST or CLOSED. */
  marketState: string | null;
  /** Time of the last regular-session trade, epoch ms. */
  regularMarketTime: number | null;
};

export type YahooQuoteResult = {
  /** Found symbols, keyed by the symbol as asked (upper case). */
  bySymbol: Map<string, YahooQuoteInfo>;
  /**
   * Symbols Yahoo returned nothing for. `isConfirmed` when the same request returned other symbols:
   * an empty answer to a whole request may be a glitch rather than a verdict on each symbol.
   */
  missing: { symbol: string; isConfirmed: boolean }[];
};

/**
 * Quotes for `symbols`, one `quote()` request per 100 symbols, in order. A batch that fails yahoo-finance2's
 * schema is asked again without validation and read defensively; `onValidationError` is told.
 */
export async function getYahooQuotes(
  yf: YahooClient,
  symbols: readonly string[],
  onValidationError?: (error: unknown) => void,
): Promise<YahooQuoteResult> {
  const wanted = [...new Set(symbols.map((s) => s.trim().toUpperCase()).filter(Boolean))];
  const bySymbol = new Map<string, YahooQuoteInfo>();
  const missing: YahooQuoteResult["missing"] = [];
  for (let i = 0; i < wanted.length; i += QUOTE_BATCH_SIZE) {
    const batch = wanted.slice(i, i + QUOTE_BATCH_SIZE);
    let raw: unknown[];
    try {
      raw = await yf.quote(batch, { return: "array" });
    } catch (error) {
      if (!isYahooValidationError(error)) throw error;
      onValidationError?.(error);
      const unvalidated: unknown = await yf.quote(batch, { return: "array" }, { validateResult: false });
      raw = Array.isArray(unvalidated) ? unvalidated : [];
    }
    const found = new Map<string, YahooQuoteInfo>();
    for (const item of raw) {
      const info = toQuoteInfo(item);
      if (info) found.set(info.symbol.toUpperCase(), info);
    }
    for (const symbol of batch) {
      const info = found.get(symbol);
      if (info) bySymbol.set(symbol, info);
      else missing.push({ symbol, isConfirmed: found.size > 0 });
    }
  }
  return { bySymbol, missing };
}

function toQuoteInfo(item: unknown): YahooQuoteInfo | null {
  if (typeof item !== "object" || item === null) return null;
  const q = item as Record<string, unknown>;
  if (typeof q.symbol !== "string" || q.symbol.length === 0) return null;
  const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);
  return {
    symbol: q.symbol,
    name: text(q.longName) ?? text(q.shortName) ?? text(q.displayName),
    quoteType: text(q.quoteType),
    exchangeTimezone: text(q.exchangeTimezoneName),
    marketState: text(q.marketState),
    regularMarketTime: toEpochMs(q.regularMarketTime),
  };
}

function toEpochMs(value: unknown): number | null {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value === "number" && Number.isFinite(value)) return value * 1_000;
  return null;
}
