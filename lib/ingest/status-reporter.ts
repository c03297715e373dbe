import type { DbOrTx } from "@/lib/db/client";
import { markSymbolInvalid, recordIngestStatus } from "@/lib/db/queries/symbols";
import { describeError, type Logger } from "@/lib/log";

type Status = { marketState?: string; lastError?: string | null };

/**
 * Collects what the sources say about symbols (market state, last error, invalid) and writes it to
 * `symbols` once a second, coalesced per symbol, so a chatty source never floods the database.
 */
export function createStatusReporter(db: DbOrTx, logger: Logger, intervalMs = 1_000) {
  const pending = new Map<string, Status>();
  const invalid = new Map<string, string>();
  const last = new Map<string, string>();

  async function flush(): Promise<void> {
    for (const [symbol, reason] of [...invalid]) {
      try {
        await markSymbolInvalid(db, symbol, reason);
        invalid.delete(symbol);
        logger.warn({ symbol, reason }, "symbol marked invalid");
      } catch (error) {
        logger.warn({ symbol, err: describeError(error) }, "could not mark symbol invalid; will retry");
      }
    }
    for (const [symbol, status] of [...pending]) {
      try {
        await recordIngestStatus(db, symbol, status);
        if (pending.get(symbol) === status) pending.delete(symbol);
      } catch (error) {
        logger.debug({ symbol, err: describeError(error) }, "could not record status; will retry");
        return;
      }
    }
  }

  const timer = setInterval(() => void flush(), intervalMs);
  return {
    report: (symbol: string, status: Status): void => {
      const key = JSON.stringify(status);
      if (last.get(symbol) === key) return;
      last.set(symbol, key);
      pending.set(symbol, { ...pending.get(symbol), ...status });
    },
    markInvalid: (symbol: string, reason: string): void => {
      invalid.set(symbol, reason);
    },
    stop: async (): Promise<void> => {
      clearInterval(timer);
      await flush();
    },
  };
}
