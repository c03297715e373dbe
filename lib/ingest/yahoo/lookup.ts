import type { YahooClient } from "@/lib/ingest/yahoo/client";
import { getYahooQuotes } from "@/lib/ingest/yahoo/quotes";

export type YahooSymbolMatch = {
  symbol: string;
  /** Long name, else short or display name, else the symbol itself. */
  name: string;
  /** IANA zone of the exchange (e.g. America/New_York); null only if Yahoo's answer lacked it. */
  exchangeTimezone: string | null;
  quoteType: string | null;
};

export type YahooSymbolLookup = { found: YahooSymbolMatch[]; missing: string[] };

/**
 * Checks that symbols exist on Yahoo before an admin adds them: one batched `quote()` request per 100
 * symbols. Input is trimmed, upper-cased and de-duplicated; `found` and `missing` keep its order.
 * Errors from Yahoo (429, network) are thrown for the caller to map; nothing is retried here.
 */
export async function lookupYahooSymbols(yf: YahooClient, symbols: string[]): Promise<YahooSymbolLookup> {
  const { bySymbol, missing } = await getYahooQuotes(yf, symbols);
  const found: YahooSymbolMatch[] = [...bySymbol].map(([symbol, info]) => ({
    symbol,
    name: info.name ?? symbol,
    exchangeTimezone: info.exchangeTimezone,
    quoteType: info.quoteType,
  }));
  return { found, missing: missing.map((m) => m.symbol) };
}
