import type { z } from "zod";

import type { ParseResult } from "@/lib/events/parse-json";
import type { SyntheticSourceMetrics } from "@/lib/events/source-metrics";
import type { TickSource, TickV1 } from "@/lib/events/tick-v1";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import type { TickPublisher } from "@/lib/ingest/tick-publisher";
import { describeError, type Logger } from "@/lib/log";

/** A source of bars for the symbols assigned to it; `M` is its figures' schema type (lib/events/source-metrics.ts). */
export type SourceDriver<M> = {
  source: TickSource;
  /** The symbols this driver follows from now on (all of them, every time). */
  setSymbols: (symbols: readonly IngestSymbol[]) => void;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  metrics: () => M;
};

export type IngestCursor = { lastTs: number; replaySeq: number | null };

/** The ingest worker's ports; tests pass their own. */
export type DriverDeps = {
  publisher: Pick<TickPublisher, "enqueue" | "canAccept">;
  clock: () => number;
  logger: Logger;
  /** The last bar of a symbol that reached Kafka (durable), or null. */
  getCursor: (symbol: string) => Promise<IngestCursor | null>;
  /** Durable small state of the driver (its clock): null when absent, a reason when it fails `schema`. */
  loadState: <T>(key: string, schema: z.ZodType<T>) => Promise<ParseResult<T> | null>;
  saveState: (key: string, value: unknown) => Promise<void>;
  /** Reports what the admin sees on the symbol: market state, last error, or invalid with a reason. */
  reportStatus: (symbol: string, status: { marketState?: string; lastError?: string | null }) => void;
  markInvalid: (symbol: string, reason: string) => void;
};

/** A clock that advances `positionsPerSecond` positions per second of wall time (up to the present) and can be held. */
export type DriverClock = { position: number };

type ClockedOptions<S extends DriverClock> = {
  source: TickSource;
  deps: DriverDeps;
  stateKey: string;
  /** The schema of the stored clock (lib/events/app-state.ts). */
  clockSchema: z.ZodType<S>;
  positionsPerSecond: number;
  /** The clock on first start (no saved state). */
  initialClock: (now: number) => S;
  /** The bar of `symbol` at `position`, or null where it has none (a gap). */
  barAt: (
    symbol: string,
    position: number,
    clock: S,
  ) => Omit<TickV1, "producedAt" | "source" | "v" | "symbol"> | null;
  /** The newest position whose bar starts at or before `now`: the clock never passes it. */
  latestPosition: (now: number, clock: S) => number;
  /** Position of the first bar to produce for a symbol seen now, given its durable cursor. */
  firstPosition: (symbol: string, cursor: IngestCursor | null, clock: S) => number;
  /** Whether the driver can produce this symbol at all; returns a reason when not. */
  rejects?: (symbol: string) => string | null;
  marketState: string;
  /** Most positions produced per symbol per tick: bounds a catch-up burst. */
  maxPerTick?: number;
};

/**
 * Engine of the synthetic source: a durable position clock driven by wall time, capped at the wall clock,
 * and per symbol the next position to produce. Each tick produces every position up to the clock for
 * every symbol, in order. When the publisher's buffer is full (Kafka away) the clock holds, so the feed
 * resumes where it stopped instead of skipping.
 */
export function createClockedDriver<S extends DriverClock>(
  options: ClockedOptions<S>,
): SourceDriver<SyntheticSourceMetrics> {
  const { deps } = options;
  const next = new Map<string, number | "loading">();
  let clock: S | null = null;
  let wallStart = 0;
  let positionStart = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastSaved = 0;
  let held = false;
  const produced: Record<string, number> = {};
  const tickMs = Math.min(1_000, Math.max(20, Math.floor(1_000 / options.positionsPerSecond)));

  let latest: readonly IngestSymbol[] = [];

  function setSymbols(symbols: readonly IngestSymbol[]): void {
    latest = symbols;
    if (!clock) return; // start() applies the latest list once the clock is loaded
    const wanted = new Set(symbols.map((s) => s.symbol));
    for (const symbol of next.keys()) if (!wanted.has(symbol)) next.delete(symbol);
    for (const { symbol } of symbols) {
      if (next.has(symbol)) continue;
      const reason = options.rejects?.(symbol);
      if (reason) {
        deps.markInvalid(symbol, reason);
        continue;
      }
      next.set(symbol, "loading");
      deps.reportStatus(symbol, { marketState: options.marketState, lastError: null });
      void deps
        .getCursor(symbol)
        .then((cursor) => {
          if (next.get(symbol) === "loading") next.set(symbol, options.firstPosition(symbol, cursor, clock!));
        })
        .catch((error: unknown) => {
          deps.logger.warn({ symbol, err: String(error) }, "could not read the symbol's cursor; will retry");
          next.delete(symbol); // picked up again by the next setSymbols
        });
    }
  }

  function tick(): void {
    if (!clock) return;
    const now = deps.clock();
    if (!deps.publisher.canAccept()) {
      held = true;
      wallStart = now;
      positionStart = clock.position;
      return;
    }
    held = false;
    const target = positionStart + Math.floor(((now - wallStart) * options.positionsPerSecond) / 1_000);
    // Faster than real time only until the feed reaches the wall clock: never a bar after the current minute.
    clock.position = Math.min(Math.max(clock.position, target), options.latestPosition(now, clock));
    const producedAt = now;
    for (const [symbol, from] of next) {
      if (from === "loading" || from > clock.position) continue;
      const to = Math.min(clock.position, from + (options.maxPerTick ?? 5_000) - 1);
      const ticks: TickV1[] = [];
      const seqs: number[] = [];
      for (let p = from; p <= to; p++) {
        const bar = options.barAt(symbol, p, clock);
        if (!bar) continue;
        ticks.push({ v: 1, symbol, source: options.source, producedAt, ...bar });
        seqs.push(p);
      }
      next.set(symbol, to + 1);
      if (ticks.length > 0) {
        deps.publisher.enqueue(ticks, seqs);
        produced[symbol] = (produced[symbol] ?? 0) + ticks.length;
      }
    }
    if (now - lastSaved >= 2_000) {
      lastSaved = now;
      // The next save two seconds on retries it; a lost save only replays a few bars after a restart.
      void deps
        .saveState(options.stateKey, clock)
        .catch((err: unknown) =>
          deps.logger.warn(
            { err: describeError(err), source: options.source },
            "saving the driver clock failed",
          ),
        );
    }
  }

  return {
    source: options.source,
    setSymbols,
    async start() {
      const saved = await deps.loadState(options.stateKey, options.clockSchema);
      if (saved && !saved.ok)
        deps.logger.warn(
          { key: options.stateKey, reason: saved.reason },
          "the stored driver clock does not match its schema; starting a new clock",
        );
      clock = saved?.ok ? saved.data : options.initialClock(deps.clock());
      await deps.saveState(options.stateKey, clock);
      wallStart = deps.clock();
      positionStart = clock.position;
      setSymbols(latest);
      timer = setInterval(tick, tickMs);
    },
    async stop() {
      clearInterval(timer);
      if (clock)
        await deps
          .saveState(options.stateKey, clock)
          .catch((err: unknown) =>
            deps.logger.warn(
              { err: describeError(err), source: options.source },
              "saving the driver clock on stop failed; the next start resumes from the previous save",
            ),
          );
    },
    metrics: () => ({ position: clock?.position ?? null, held, symbols: next.size, produced }),
  };
}
