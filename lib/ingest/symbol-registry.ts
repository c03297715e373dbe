import type { Db } from "@/lib/db/client";
import { listenForNotifications } from "@/lib/db/listen";
import { listActiveSymbols, type SymbolRow } from "@/lib/db/queries/symbols";
import { SYMBOLS_CHANGED_CHANNEL, symbolsChangedSchema } from "@/lib/events/symbols-changed";
import type { TickSource } from "@/lib/events/tick-v1";
import { describeError, type Logger } from "@/lib/log";

/** An active symbol as the ingest worker follows it. */
export type IngestSymbol = {
  symbol: string;
  source: TickSource;
  pollIntervalSeconds: number;
  timeZone: string;
};

function toIngestSymbol(row: SymbolRow, defaultSource: TickSource): IngestSymbol | null {
  if (row.status !== "active" || row.source === "external") return null;
  return {
    symbol: row.symbol,
    source: row.source ?? defaultSource,
    pollIntervalSeconds: row.pollIntervalSeconds,
    timeZone: row.exchangeTimezone,
  };
}

/**
 * Keeps the set of active symbols current: re-reads `symbols` on every NOTIFY (debounced), after the
 * listening connection comes back, and every `pollMs` as a safety net. `onChange` gets the full list.
 */
export function watchActiveSymbols(options: {
  db: Db;
  url: string;
  logger: Logger;
  defaultSource: TickSource;
  onChange: (symbols: IngestSymbol[]) => void;
  pollMs?: number;
}) {
  const { db, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let last = "";

  async function refresh(): Promise<void> {
    try {
      const rows = await listActiveSymbols(db);
      const list = rows
        .map((r) => toIngestSymbol(r, options.defaultSource))
        .filter((s): s is IngestSymbol => s !== null);
      const fingerprint = JSON.stringify(list);
      if (fingerprint !== last) {
        last = fingerprint;
        logger.info({ symbols: list.map((s) => `${s.symbol}:${s.source}`) }, "active symbols");
        options.onChange(list);
      }
    } catch (error) {
      logger.warn({ err: describeError(error) }, "could not read symbols (database unreachable?)");
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 150);
  };
  const listener = listenForNotifications({
    url: options.url,
    channel: SYMBOLS_CHANGED_CHANNEL,
    schema: symbolsChangedSchema,
    logger,
    onNotify: schedule,
    onReconnect: schedule,
  });
  const poll = setInterval(() => void refresh(), options.pollMs ?? 30_000);
  void refresh();

  return {
    refresh,
    async stop() {
      clearTimeout(timer);
      clearInterval(poll);
      await listener.stop();
    },
  };
}
