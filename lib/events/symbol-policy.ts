import { z } from "zod";

import type { DeadLetterRejection } from "@/lib/events/dead-letter";
import type { SymbolStatus } from "@/lib/events/symbol";

/**
 * What the stream worker does with a valid event whose symbol is not registered (UNKNOWN_SYMBOLS):
 * `reject` dead-letters it (the default: a flood of invented tickers must not grow the symbol list);
 * `register` registers the symbol as `external` while fewer than MAX_REGISTERED_SYMBOLS are registered.
 */
export const unknownSymbolsModeSchema = z.enum(["reject", "register"]);
export type UnknownSymbolsMode = z.infer<typeof unknownSymbolsModeSchema>;

export type SymbolPolicy = {
  unknownSymbols: UnknownSymbolsMode;
  /** Registration stops once this many symbols are registered (removed ones do not count). */
  maxRegisteredSymbols: number;
};

/**
 * The stream worker stores bars of every registered symbol except removed ones. Paused and invalid
 * symbols stay accepted: pausing stops the ingest worker polling, and bars already on their way (or fed
 * from outside) still land. Removing a symbol is how an admin stops accepting its bars, and auto
 * registration never brings a removed symbol back.
 */
export function isAcceptedStatus(status: SymbolStatus): boolean {
  return status !== "removed";
}

export type SymbolAdmission =
  | { kind: "accepted" }
  /** Not registered, and the policy registers it if the limit allows. */
  | { kind: "register" }
  | ({ kind: "rejected" } & DeadLetterRejection);

/** Decides for one symbol from its registered status (null: no row in `symbols`). */
export function decideSymbolAdmission(
  symbol: string,
  status: SymbolStatus | null,
  mode: UnknownSymbolsMode,
): SymbolAdmission {
  if (status === null) {
    if (mode === "register") return { kind: "register" };
    return {
      kind: "rejected",
      reasonClass: "unknown_symbol",
      reason: `symbol ${symbol} is not registered: add it in /admin to accept its bars, or set UNKNOWN_SYMBOLS=register to register symbols first seen on the topic`,
    };
  }
  if (isAcceptedStatus(status)) return { kind: "accepted" };
  return {
    kind: "rejected",
    reasonClass: "unknown_symbol",
    reason: `symbol ${symbol} was removed in /admin: add it again there to accept its bars`,
  };
}

/** The rejection of a symbol that register mode could not register because the limit is reached. */
export function describeSymbolLimit(symbol: string, maxRegisteredSymbols: number): DeadLetterRejection {
  return {
    reasonClass: "symbol_limit",
    reason: `symbol ${symbol} is not registered and the registration limit is reached (MAX_REGISTERED_SYMBOLS=${maxRegisteredSymbols} symbols registered): add it in /admin, remove unused symbols, or raise MAX_REGISTERED_SYMBOLS`,
  };
}
