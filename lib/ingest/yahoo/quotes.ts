import type { YahooClient } from "@/lib/ingest/yahoo/client";
import { isYahooValidationError } from "@/lib/ingest/yahoo/errors";
import { yahooQuoteSchema } from "@/lib/ingest/yahoo/payloads";

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
  const parsed = yahooQuoteSchema.safeParse(item);
  if (!parsed.success) return null;
  const q = parsed.data;
  return {
    symbol: q.symbol,
    name: q.longName ?? q.shortName ?? q.displayName,
    quoteType: q.quoteType,
    exchangeTimezone: q.exchangeTimezoneName,
    marketState: q.marketState,
    regularMarketTime: q.regularMarketTime,
  };
}
