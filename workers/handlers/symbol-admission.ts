// The symbol policy as the stream worker applies it to a batch: answers from memory where it can, from
// the `symbols` table otherwise, registering new symbols in the batch's transaction in register mode.
import type { DbOrTx } from "@/lib/db/client";
import { getSymbolStatuses, registerExternalSymbolsUpTo } from "@/lib/db/queries/symbols";
import type { DeadLetterRejection } from "@/lib/events/dead-letter";
import type { SymbolStatus } from "@/lib/events/symbol";
import { decideSymbolAdmission, describeSymbolLimit, type SymbolPolicy } from "@/lib/events/symbol-policy";
import type { Logger } from "@/lib/log";
import { createLruCache } from "@/lib/lru-cache";

/** What a batch knows about its symbols (lib/events/symbol-policy.ts decides). */
export type SymbolAnswers = {
  /** Accepted symbols with their exchange time zone. */
  timeZones: Map<string, string>;
  refusals: Map<string, DeadLetterRejection>;
  /** The symbols answered from PostgreSQL (not from memory) by this batch. */
  read: Set<string>;
  /** Registered by this batch (register mode). */
  registered: string[];
};

export type SymbolAdmissionConfig = {
  /** What happens to events of symbols that are not registered (lib/events/symbol-policy.ts). */
  symbolPolicy: SymbolPolicy;
  /** Time zone of the symbols that register mode registers. */
  defaultTimeZone: string;
  /**
   * Symbols whose state (series state, admission answer) stays in memory between batches; after each
   * batch the least recently used beyond this are evicted (a batch with more symbols holds them all
   * until it ends).
   */
  maxCachedSymbols: number;
  /** How long a refused symbol is refused from memory before `symbols` is read again. */
  refusalTtlMs: number;
};

export function createSymbolAdmission(config: SymbolAdmissionConfig, logger: Logger) {
  const { symbolPolicy } = config;
  // Accepted symbols with their exchange time zone, and refused ones with their rejection. A refusal
  // expires (an admin may add the symbol, or make room under the limit); forget() drops it at once.
  const admitted = createLruCache<string, string>(config.maxCachedSymbols);
  const refused = createLruCache<string, { rejection: DeadLetterRejection; until: number }>(
    config.maxCachedSymbols,
  );

  /**
   * Applies the symbol policy to the batch's symbols, from memory where it can and from `symbols`
   * otherwise. Register mode registers new symbols in the batch's transaction, so a rolled-back batch
   * registers nothing. The answers read here reach memory only after the commit (`remember`).
   */
  async function admitSymbols(tx: DbOrTx, list: readonly string[], now: number): Promise<SymbolAnswers> {
    const answers: SymbolAnswers = {
      timeZones: new Map(),
      refusals: new Map(),
      read: new Set(),
      registered: [],
    };
    const toRead: string[] = [];
    for (const symbol of list) {
      const timeZone = admitted.get(symbol);
      const cached = timeZone === undefined ? refused.get(symbol) : undefined;
      if (timeZone !== undefined) answers.timeZones.set(symbol, timeZone);
      else if (cached && cached.until > now) answers.refusals.set(symbol, cached.rejection);
      else toRead.push(symbol);
    }
    if (toRead.length === 0) return answers;
    const decide = (symbol: string, row: { status: SymbolStatus; timeZone: string } | undefined) => {
      const decision = decideSymbolAdmission(symbol, row?.status ?? null, symbolPolicy.unknownSymbols);
      if (decision.kind === "accepted") answers.timeZones.set(symbol, row!.timeZone);
      else if (decision.kind === "rejected") answers.refusals.set(symbol, decision);
      answers.read.add(symbol);
      return decision.kind;
    };
    const rows = await getSymbolStatuses(tx, toRead);
    const toRegister = toRead.filter((symbol) => decide(symbol, rows.get(symbol)) === "register");
    if (toRegister.length === 0) return answers;

    answers.registered = await registerExternalSymbolsUpTo(
      tx,
      toRegister,
      config.defaultTimeZone,
      symbolPolicy.maxRegisteredSymbols,
    );
    if (answers.registered.length > 0)
      logger.info({ symbols: answers.registered }, "registered symbols first seen on the topic as external");
    for (const symbol of answers.registered) answers.timeZones.set(symbol, config.defaultTimeZone);
    // Not inserted: over the limit, or an admin added it since our read (then its row decides).
    const isRegistered = new Set(answers.registered);
    const left = toRegister.filter((symbol) => !isRegistered.has(symbol));
    const late = await getSymbolStatuses(tx, left);
    for (const symbol of left) {
      const row = late.get(symbol);
      if (row) decide(symbol, row);
      else answers.refusals.set(symbol, describeSymbolLimit(symbol, symbolPolicy.maxRegisteredSymbols));
    }
    return answers;
  }

  /**
   * Keeps what a committed batch read about its symbols. Skipped when a symbol was forgotten while the
   * batch ran: its answer may predate the change that the notification announced.
   */
  function remember(answers: SymbolAnswers, now: number): void {
    for (const symbol of answers.read) {
      const timeZone = answers.timeZones.get(symbol);
      const rejection = answers.refusals.get(symbol);
      if (timeZone !== undefined) {
        refused.delete(symbol);
        admitted.set(symbol, timeZone);
      } else if (rejection) {
        admitted.delete(symbol);
        refused.set(symbol, { rejection, until: now + config.refusalTtlMs });
      }
    }
  }

  return {
    admit: admitSymbols,
    remember,
    /** Drops one symbol's answer: read again from `symbols` on its next event. */
    forget(symbol: string): void {
      admitted.delete(symbol);
      refused.delete(symbol);
    },
    /** Drops every answer. */
    clear(): void {
      admitted.clear();
      refused.clear();
    },
    /** Evicts the least recently used answers beyond `maxCachedSymbols`. */
    trim(): void {
      admitted.trim();
      refused.trim();
    },
  };
}

export type SymbolAdmission = ReturnType<typeof createSymbolAdmission>;
