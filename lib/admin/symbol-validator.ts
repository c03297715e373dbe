import { existsSync } from "node:fs";

import { ApiError } from "@/lib/api/errors";
import type { YahooClient } from "@/lib/ingest/yahoo/client";
import { classifyYahooError } from "@/lib/ingest/yahoo/errors";
import type { YahooSymbolLookup } from "@/lib/ingest/yahoo/lookup";
import { listRecordedSymbols } from "@/lib/ingest/replay/recorded-bars";
import { describeError } from "@/lib/log";

export type CheckedSymbol = { symbol: string; displayName: string | null; exchangeTimezone: string | null };

export type SymbolCheck = { found: CheckedSymbol[]; rejected: { symbol: string; reason: string }[] };

/** Checks that symbols exist at the deployment's source before an admin follows them. */
export type SymbolValidator = {
  source: "replay" | "yahoo" | "synthetic";
  check: (symbols: readonly string[]) => Promise<SymbolCheck>;
};

/** Replay: a symbol is followable when data/minute-bars (REPLAY_DATA_DIR) has a recording of it. */
export function createReplaySymbolValidator(dataDir: string): SymbolValidator {
  return {
    source: "replay",
    check(symbols) {
      if (!existsSync(dataDir))
        return Promise.reject(
          new ApiError("unavailable", `the replay data directory ${dataDir} is missing (REPLAY_DATA_DIR)`),
        );
      const recorded = new Set(listRecordedSymbols(dataDir));
      const known = [...recorded].join(", ");
      return Promise.resolve({
        found: symbols
          .filter((s) => recorded.has(s))
          .map((symbol) => ({ symbol, displayName: null, exchangeTimezone: null })),
        rejected: symbols
          .filter((s) => !recorded.has(s))
          .map((symbol) => ({
            symbol,
            reason: `no recorded bars for ${symbol} in the replay data (recorded: ${known})`,
          })),
      });
    },
  };
}

/** Synthetic: any well-formed symbol can be generated. */
export function createSyntheticSymbolValidator(): SymbolValidator {
  return {
    source: "synthetic",
    check: (symbols) =>
      Promise.resolve({
        found: symbols.map((symbol) => ({ symbol, displayName: null, exchangeTimezone: null })),
        rejected: [],
      }),
  };
}

/**
 * Yahoo: one batched quote lookup (`lookupYahooSymbols` from lib/ingest/yahoo/lookup.ts). Unknown
 * symbols are rejected with the reason; Yahoo being unreachable or rate limiting answers 503.
 */
export function createYahooSymbolValidator(
  getClient: () => YahooClient,
  lookup: (yf: YahooClient, symbols: string[]) => Promise<YahooSymbolLookup>,
): SymbolValidator {
  return {
    source: "yahoo",
    async check(symbols) {
      let result: YahooSymbolLookup;
      try {
        result = await lookup(getClient(), [...symbols]);
      } catch (error) {
        const kind = classifyYahooError(error);
        throw new ApiError(
          "unavailable",
          `could not check the symbols with Yahoo Finance (${kind.replace("_", " ")}); try again in a minute`,
          { cause: describeError(error).slice(0, 200) },
        );
      }
      return {
        found: result.found.map((m) => ({
          symbol: m.symbol,
          displayName: m.name !== m.symbol ? m.name : null,
          exchangeTimezone: m.exchangeTimezone,
        })),
        rejected: result.missing.map((symbol) => ({
          symbol,
          reason: `Yahoo Finance does not know ${symbol}`,
        })),
      };
    },
  };
}
