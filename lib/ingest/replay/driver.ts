import type { ReplaySourceMetrics } from "@/lib/events/source-metrics";
import type { DriverDeps, IngestCursor, SourceDriver } from "@/lib/ingest/driver";
import { computePartialBar } from "@/lib/ingest/replay/intra-minute-path";
import { computeReplayBackfillStart, getReplayBar } from "@/lib/ingest/replay/wall-clock";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import type { TickV1 } from "@/lib/events/tick-v1";
import { floorToMinute, MINUTE_MS } from "@/lib/kpi/durations";
import type { Bar } from "@/lib/kpi/types";

export type ReplayDriverOptions = {
  recorded: ReadonlyMap<string, readonly Bar[]>;
  /** Whole calendar days before today backfilled for a symbol that has no cursor (see wall-clock.ts). */
  backfillDays: number;
  deps: DriverDeps;
  /** Most final bars queued per symbol per step while catching up, so that one symbol cannot starve the others. */
  chunkSize?: number;
};

type SymbolState = { next: number; timeZone: string } | "loading";

/**
 * The offline default source: recorded real 1-minute bars replayed on the wall clock (see
 * `getReplayBar`). Every second it sends, per symbol, the final bars of the minutes that ended since
 * the last step, then the current minute's bar as it stands now on its intra-minute path; the current
 * minute's bar is never ahead of the clock and no bar starts after the current minute.
 *
 * The ingest cursor's `replaySeq` is the start of the newest minute whose final bar reached Kafka
 * (`lastTs` may be a newer, partial bar). A symbol resumes after it, or is backfilled from
 * `backfillDays` days ago when it has none (or an older one, or one from the replay before this one,
 * whose small position numbers fall before any backfill start).
 */
export function createReplayDriver(options: ReplayDriverOptions): SourceDriver<ReplaySourceMetrics> {
  const { deps, recorded } = options;
  const chunkSize = options.chunkSize ?? 1_000;
  const known = [...recorded.keys()].sort().join(", ");
  const states = new Map<string, SymbolState>();
  const produced: Record<string, number> = {};
  let latest: readonly IngestSymbol[] = [];
  let started = false;
  let held = false;
  let behind = 0;
  let timer: NodeJS.Timeout | undefined;

  function getFirstMinute(cursor: IngestCursor | null, timeZone: string): number {
    const now = deps.clock();
    const current = floorToMinute(now);
    const backfillFrom = computeReplayBackfillStart(now, timeZone, options.backfillDays);
    const resumeAt = cursor?.replaySeq != null ? floorToMinute(cursor.replaySeq) + MINUTE_MS : null;
    const next = resumeAt === null ? backfillFrom : Math.max(resumeAt, backfillFrom);
    // A cursor ahead of the clock (the clock was set back): resend from now; a resent bar is a revision.
    return Math.min(next, current);
  }

  function setSymbols(symbols: readonly IngestSymbol[]): void {
    latest = symbols;
    if (!started) return; // start() applies the latest list
    const wanted = new Set(symbols.map((s) => s.symbol));
    for (const symbol of states.keys()) if (!wanted.has(symbol)) states.delete(symbol);
    for (const { symbol, timeZone } of symbols) {
      if (states.has(symbol)) continue;
      if (!recorded.has(symbol)) {
        deps.markInvalid(symbol, `no recorded bars for ${symbol} in the replay data (recorded: ${known})`);
        continue;
      }
      states.set(symbol, "loading");
      deps.reportStatus(symbol, { marketState: "replay", lastError: null });
      void deps
        .getCursor(symbol)
        .then((cursor) => {
          if (states.get(symbol) === "loading")
            states.set(symbol, { next: getFirstMinute(cursor, timeZone), timeZone });
          schedule(0);
        })
        .catch((error: unknown) => {
          deps.logger.warn({ symbol, err: String(error) }, "could not read the symbol's cursor; will retry");
          states.delete(symbol); // picked up again by the next setSymbols
        });
    }
  }

  function produce(symbol: string, state: { next: number }, now: number): boolean {
    const recording = recorded.get(symbol)!;
    const current = floorToMinute(now);
    const ticks: TickV1[] = [];
    const seqs: number[] = [];
    const lastFinal = Math.min(current - MINUTE_MS, state.next + (chunkSize - 1) * MINUTE_MS);
    let ts = state.next;
    for (; ts <= lastFinal; ts += MINUTE_MS) {
      ticks.push({ v: 1, symbol, source: "replay", producedAt: now, ...getReplayBar(recording, ts) });
      seqs.push(ts);
    }
    state.next = ts;
    const caughtUp = state.next === current;
    if (caughtUp) {
      const partial = computePartialBar(getReplayBar(recording, current), now - current);
      ticks.push({ v: 1, symbol, source: "replay", producedAt: now, ...partial });
      seqs.push(current - MINUTE_MS);
    }
    if (ticks.length > 0) {
      deps.publisher.enqueue(ticks, seqs);
      produced[symbol] = (produced[symbol] ?? 0) + ticks.length;
    }
    return caughtUp || state.next > current;
  }

  function step(): void {
    timer = undefined;
    const now = deps.clock();
    behind = 0;
    held = false;
    for (const [symbol, state] of states) {
      if (state === "loading") continue;
      if (!deps.publisher.canAccept()) {
        // Kafka is away and the buffer is full: nothing is skipped, the next step resumes at `next`.
        held = true;
        break;
      }
      if (!produce(symbol, state, now)) behind++;
    }
    // Catching up runs step after step; on the clock, a step a little after each whole second.
    schedule(behind > 0 && !held ? 0 : 1_000 - (now % 1_000) + 5);
  }

  function schedule(delayMs: number): void {
    if (!started) return;
    if (timer && delayMs > 0) return;
    clearTimeout(timer);
    timer = setTimeout(step, delayMs);
  }

  return {
    source: "replay",
    setSymbols,
    start() {
      started = true;
      setSymbols(latest);
      schedule(0);
      return Promise.resolve();
    },
    stop() {
      started = false;
      clearTimeout(timer);
      timer = undefined;
      return Promise.resolve();
    },
    metrics: () => ({ symbols: states.size, behind, held, produced }),
  };
}
