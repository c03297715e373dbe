import type { Db, DbOrTx } from "@/lib/db/client";
import { executeAsOneStatement } from "@/lib/db/queries/one-statement";
import { hasSqlState, SQL_STATE } from "@/lib/db/sql-state";
import { buildDailyStatsUpsert } from "@/lib/db/queries/daily-stats";
import {
  buildFactPricesInsert,
  buildFactPricesUpsert,
  loadSymbolHistories,
} from "@/lib/db/queries/fact-prices";
import { buildKpiSnapshotsUpsert } from "@/lib/db/queries/kpi-snapshots";
import { landRawTicks } from "@/lib/db/queries/raw-ticks";
import { buildStreamOffsetSave, lockStreamOffset, type OffsetKey } from "@/lib/db/queries/stream-offsets";
import { insertDeadLetters, type RecordedDeadLetter } from "@/lib/db/queries/dead-letters";
import type { DeadLetterReasonClass } from "@/lib/events/dead-letter";
import type { TickV1 } from "@/lib/events/tick-v1";
import type { InMessage } from "@/lib/kafka/messages";
import {
  applyRevisions,
  canRecomputeFrom,
  computeLoadFrom,
  CONTEXT_BARS,
  createSeriesState,
  trimSeries,
  type SeriesChanges,
  type SeriesState,
} from "@/lib/kpi/symbol-series";
import { toBar } from "@/lib/kpi/bar";
import type { Bar, FactBar } from "@/lib/kpi/types";
import { describeError, type Logger } from "@/lib/log";
import { createLruCache } from "@/lib/lru-cache";
import {
  createSymbolAdmission,
  type SymbolAdmissionConfig,
  type SymbolAnswers,
} from "@/workers/handlers/symbol-admission";
import { parse, symbolsOf, toDeadLetter, type Accepted, type Rejected } from "@/workers/handlers/tick-parse";

export type TickBatchConfig = SymbolAdmissionConfig & {
  groupId: string;
  windows: readonly number[];
  finalGraceMs: number;
  /** Bars over all cached states beyond which the least recently used symbols are evicted too. */
  maxCachedBars: number;
  /** Land accepted events in raw_ticks. */
  landRawTicks: boolean;
  /** A bar starting more than this after the clock is dead-lettered (`isFutureBar`). */
  futureToleranceMs: number;
};

export type TickBatchDeps = {
  db: Db;
  logger: Logger;
  clock: () => number;
  config: TickBatchConfig;
  /**
   * Runs inside the batch's transaction right after its dead letters are recorded (only when there
   * are some); a rejection rolls the whole batch back. A seam for tests that race or fail a batch at
   * that point; the worker passes none.
   */
  afterDeadLettersRecorded?: (letters: readonly RecordedDeadLetter[]) => Promise<void>;
  /** Alert rules on the batch's changes, in its transaction after the KPI rows (workers/stream/alert-runtime.ts). */
  evaluateAlerts?: (
    tx: DbOrTx,
    changes: ReadonlyMap<string, SeriesChanges>,
    getState: (symbol: string) => SeriesState | undefined,
    now: number,
  ) => Promise<unknown>;
};

export type TickBatch = { topic: string; partition: number; messages: readonly InMessage[] };

/** What one batch did, for the caller (offsets, live updates) and the metrics. */
export type TickBatchResult =
  | {
      kind: "applied";
      /** Next offset to consume (stored in stream_offsets with the rows). */
      nextOffset: number;
      changes: Map<string, SeriesChanges>;
      /** The valid events applied, in offset order (their producedAt feeds the latency metrics). */
      ticks: readonly TickV1[];
      applied: number;
      skipped: number;
      /** Dead letters recorded in `dead_letters` with the batch (the relay publishes them after commit). */
      deadLettered: number;
      /** Their reason classes, one per letter, for the metrics. */
      deadLetterClasses: readonly DeadLetterReasonClass[];
      /** Symbols this batch registered (register mode). */
      registered: number;
    }
  /** The stored offset is ahead of this batch's start: the partition must be re-read from `seekTo`. */
  | { kind: "gap"; seekTo: number };

/** The home (keepPartitions) of a symbol whose batches came from more than one partition. */
const MIXED = -1;

/** The least of `values` (a symbol's bar starts in a batch; spread into Math.min they were copied first). */
function earliestOf(values: Iterable<number>): number {
  let least = Infinity;
  for (const value of values) if (value < least) least = value;
  return least;
}

/**
 * The stream worker's core: one Kafka batch of `market.ticks` (one partition) becomes one PostgreSQL
 * transaction holding the KPI rows it changes and the partition's next offset. Per-symbol state lives
 * in memory between batches and is rebuilt from PostgreSQL whenever it may be stale (first sight,
 * rebalance, failed batch, late bar older than what is loaded, eviction). Events of symbols the symbol
 * policy refuses are dead-lettered like invalid ones.
 */
export function createTickBatchHandler(deps: TickBatchDeps) {
  const { db, logger, config } = deps;
  /** Said once per process, when executeAsOneStatement turns prepared write statements off. */
  const warnNamingOff = (error: unknown) =>
    logger.warn(
      { err: describeError(error) },
      "a prepared write statement was not on its connection (a pooler in transaction mode?): this process sends its writes unnamed from now on, each parsed and planned anew (README, Troubleshooting)",
    );
  const series = createLruCache<string, SeriesState>(config.maxCachedSymbols, {
    maxWeight: config.maxCachedBars,
    weigh: (state) => state.bars.length,
  });
  const admission = createSymbolAdmission(config, logger);
  let evictedSymbols = 0;
  // Symbols a plain insert found stored by another writer (a second consumer group landing the same
  // topic into this database, or events without a key applied by other workers): no state of ours can
  // tell which of their bars exist, so their bars go by the upsert from then on. Empty with one writer.
  const storedElsewhere = createLruCache<string, true>(config.maxCachedSymbols);
  // Symbol → the batch in flight that holds its state. Batches of different partitions run at once
  // (partitionsConsumedConcurrently); a symbol is normally keyed to one partition, but events without
  // a key can bring it to another, and two batches must never apply revisions to one state together.
  const claims = new Map<string, Promise<void>>();
  // Counts forget(), reset() and keepPartitions() calls, so that a batch can tell whether one happened
  // while it ran.
  let forgets = 0;
  // What a rebalance may keep (keepPartitions): the partition each cached symbol's batches came from
  // (MIXED once they came from several), and the next offset this handler committed on each partition.
  const homes = new Map<string, number>();
  const committedNext = new Map<number, number>();

  /**
   * The series states of the batch's symbols, each able to recompute from its earliest revision: from
   * memory where it can, the others loaded from PostgreSQL together in one query.
   */
  async function getSeriesStates(
    tx: DbOrTx,
    requests: readonly { symbol: string; timeZone: string; fromTs: number }[],
  ): Promise<Map<string, SeriesState>> {
    const states = new Map<string, SeriesState>();
    const toLoad: (typeof requests)[number][] = [];
    for (const request of requests) {
      const cached = series.get(request.symbol);
      if (cached && canRecomputeFrom(cached, request.fromTs)) states.set(request.symbol, cached);
      else toLoad.push(request);
    }
    const histories = await loadSymbolHistories(
      tx,
      toLoad.map((r) => ({ symbol: r.symbol, from: computeLoadFrom(r.fromTs, config.windows) })),
      CONTEXT_BARS,
    );
    for (const { symbol, timeZone } of toLoad) {
      const history = histories.get(symbol)!;
      const state = createSeriesState(
        { symbol, timeZone, windows: config.windows, finalGraceMs: config.finalGraceMs },
        history.bars,
        history.hasAllHistory,
      );
      series.set(symbol, state);
      states.set(symbol, state);
    }
    return states;
  }

  /** Waits until no batch in flight holds any of `symbols`, then holds them until `release()`. */
  async function claimSymbols(symbols: ReadonlySet<string>): Promise<() => void> {
    for (;;) {
      const held = [...symbols].flatMap((symbol) => claims.get(symbol) ?? []);
      if (held.length === 0) break;
      await Promise.all(held);
    }
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const symbol of symbols) claims.set(symbol, done);
    return () => {
      for (const symbol of symbols) if (claims.get(symbol) === done) claims.delete(symbol);
      release();
    };
  }

  /** Drops every symbol's state (and where it came from): the next batches rebuild them from PostgreSQL. */
  function clearSeries(): void {
    series.clear();
    homes.clear();
  }

  /** Drops every symbol's state and answer, and what a rebalance could keep of them. */
  function forgetAll(): void {
    forgets++;
    clearSeries();
    admission.clear();
    committedNext.clear();
  }

  /**
   * After a rebalance, once the batches handed over before it have settled: keeps the states of the
   * symbols whose batches all came from one of `partitions` (the new assignment) on which nobody has
   * committed since this handler did (`stored`, the offsets read after the join, equal to the ones it
   * committed), and forgets every other state and every symbol policy answer. A partition that stayed
   * with this member then costs no reload of its symbols' bars; one that moved, or that another member
   * applied meanwhile, is rebuilt from PostgreSQL as after reset(). Returns how many states were kept.
   */
  function keepPartitions(partitions: readonly number[], stored: ReadonlyMap<number, number>): number {
    forgets++;
    admission.clear();
    const kept = new Set(
      partitions.filter((p) => committedNext.has(p) && committedNext.get(p) === stored.get(p)),
    );
    for (const partition of [...committedNext.keys()])
      if (!kept.has(partition)) committedNext.delete(partition);
    for (const symbol of [...series.keys()]) {
      const home = homes.get(symbol);
      if (home === undefined || !kept.has(home)) series.delete(symbol);
    }
    pruneHomes();
    return series.size;
  }

  /** Forgets the homes of symbols no longer cached (evicted or forgotten). */
  function pruneHomes(): void {
    for (const symbol of [...homes.keys()]) if (!series.has(symbol)) homes.delete(symbol);
  }

  async function handleBatch(batch: TickBatch): Promise<TickBatchResult> {
    const first = batch.messages[0];
    const last = batch.messages[batch.messages.length - 1];
    if (!first || !last) throw new Error("handleBatch needs at least one message");
    const key: OffsetKey = { consumerGroup: config.groupId, topic: batch.topic, partition: batch.partition };
    const now = deps.clock();
    const forgetsBefore = forgets;
    // Filled inside the transaction (an object, so that its type is not narrowed to its initial null).
    const read: { answers: SymbolAnswers | null } = { answers: null };
    // Parsed before the transaction: the batch's symbols are claimed before any state is touched.
    const parsedAll = batch.messages.map((m) => parse(m, now, config.futureToleranceMs));
    const claimed = symbolsOf(parsedAll);
    const release = await claimSymbols(claimed);
    try {
      const result = await db.transaction(async (tx) => {
        const stored = await lockStreamOffset(tx, key, first.offset);
        if (stored < first.offset) return { kind: "gap", seekTo: stored } as const;
        const parsed = parsedAll.filter((p) => p.message.offset >= stored);
        const skipped = batch.messages.length - parsed.length;
        if (skipped > 0) {
          // Another member applied these already (a rebalance or a zombie): our memory may be behind.
          clearSeries();
          logger.info({ partition: batch.partition, skipped, stored }, "skipping offsets already applied");
        }
        if (parsed.length === 0)
          return {
            kind: "applied",
            nextOffset: stored,
            changes: new Map(),
            ticks: [],
            applied: 0,
            skipped,
            deadLettered: 0,
            deadLetterClasses: [],
            registered: 0,
          } as const;

        const symbols = symbolsOf(parsed);
        const answers = await admission.admit(tx, [...symbols], now);
        read.answers = answers;
        const { refusals, registered, timeZones } = answers;
        const dead: Rejected[] = [];
        const good: Accepted[] = [];
        const invalid = new Set<Rejected>();
        for (const p of parsed) {
          const refusal = "tick" in p ? refusals.get(p.tick.symbol) : undefined;
          if ("reason" in p) {
            dead.push(p);
            invalid.add(p);
          } else if (refusal) dead.push({ message: p.message, ...refusal });
          else good.push(p);
        }

        // Coalesce revisions: per symbol and minute the highest offset wins (messages are in offset order).
        const bySymbol = new Map<string, Map<number, Bar>>();
        for (const { tick } of good) {
          let bars = bySymbol.get(tick.symbol);
          if (!bars) bySymbol.set(tick.symbol, (bars = new Map<number, Bar>()));
          bars.set(tick.ts, toBar(tick));
        }

        const states = await getSeriesStates(
          tx,
          [...bySymbol].map(([symbol, bars]) => ({
            symbol,
            timeZone: timeZones.get(symbol)!,
            fromTs: earliestOf(bars.keys()),
          })),
        );
        const changes = new Map<string, SeriesChanges>();
        // The changed bars apart: those no state held before (not stored yet, as a state holds every
        // stored bar from its first on: a plain insert) and the others (an upsert, which checks each
        // row's key first). Should another writer have stored one, the statement fails (storedElsewhere).
        const newBars: FactBar[] = [];
        const storedBars: FactBar[] = [];
        const created = new Set<number>();
        for (const [symbol, bars] of bySymbol) {
          const change = applyRevisions(states.get(symbol)!, [...bars.values()], now, created);
          changes.set(symbol, change);
          const isOurs = !storedElsewhere.has(symbol);
          for (const bar of change.bars) (isOurs && created.has(bar.ts) ? newBars : storedBars).push(bar);
          created.clear();
        }
        const all = [...changes.values()];
        const nextOffset = last.offset + 1;
        // The rows and next offset go as one statement, a table each: one round trip where five took one
        // each, which at low rates cost more than the rows themselves. The landed events go first, by a
        // check and a COPY when the batch is large (landRawTicks: half PostgreSQL's work of an insert),
        // or as one more table of that statement: a small batch, or one some of whose events landed before. A batch with dead letters saves its offset
        // after recording them instead, as it always did (a failure there must roll the letters back too:
        // tests/integration/dead-letter-outbox.test.ts).
        const saveOffset = buildStreamOffsetSave(tx, key, nextOffset);
        const landing = config.landRawTicks
          ? await landRawTicks(
              tx,
              good.map(({ message, tick }) => ({
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                tick,
              })),
            )
          : null;
        await executeAsOneStatement(
          tx,
          [
            buildFactPricesInsert(newBars),
            buildFactPricesUpsert(storedBars),
            buildDailyStatsUpsert(all.flatMap((c) => c.days)),
            buildKpiSnapshotsUpsert(all.flatMap((c) => c.windows)),
            landing,
            dead.length === 0 ? saveOffset : null,
          ],
          warnNamingOff,
        );
        // The batch's own states: a reset (a rebalance) or another batch's failure may clear the cache meanwhile.
        await deps.evaluateAlerts?.(tx, changes, (symbol) => states.get(symbol), now);
        if (refusals.size > 0)
          // One line per batch, not per event: a flood of unknown symbols must not flood the log too.
          logger.warn(
            {
              partition: batch.partition,
              refusedSymbols: refusals.size,
              symbols: [...refusals.keys()].slice(0, 20),
              reasonClasses: [...new Set([...refusals.values()].map((r) => r.reasonClass))],
            },
            "dead-lettering events of symbols the symbol policy refuses",
          );
        if (dead.length > 0) {
          for (const d of invalid)
            logger.warn(
              {
                partition: batch.partition,
                offset: d.message.offset,
                reasonClass: d.reasonClass,
                reason: d.reason,
              },
              "dead-lettering an invalid tick",
            );
          // Recorded with the rows and the offset: a rolled-back attempt leaves none, a retry cannot
          // double one (keyed by source coordinates), and a Kafka outage cannot hold the batch back.
          const letters = dead.map((d) => toDeadLetter(batch, d, now));
          await insertDeadLetters(tx, letters);
          await deps.afterDeadLettersRecorded?.(letters);
          await tx.execute(saveOffset);
        }
        return {
          kind: "applied",
          nextOffset,
          changes,
          ticks: good.map((g) => g.tick),
          applied: good.length,
          skipped,
          deadLettered: dead.length,
          deadLetterClasses: dead.map((d) => d.reasonClass),
          registered: registered.length,
        } as const;
      });
      if (forgets === forgetsBefore) {
        if (read.answers) admission.remember(read.answers, now);
        if (result.kind === "applied") {
          committedNext.set(batch.partition, result.nextOffset);
          for (const symbol of claimed) {
            if (!series.has(symbol)) continue; // refused, or its state was evicted
            const home = homes.get(symbol);
            homes.set(symbol, home === undefined || home === batch.partition ? batch.partition : MIXED);
          }
        }
      } else {
        // A reset, forget or keep came meanwhile: this batch tells nothing that keepPartitions may trust.
        committedNext.delete(batch.partition);
        for (const symbol of claimed) if (series.has(symbol)) homes.set(symbol, MIXED);
      }
      return result;
    } catch (error) {
      // The transaction rolled back but the in-memory series may hold its changes: forget them all.
      clearSeries();
      if (hasSqlState(error, SQL_STATE.uniqueViolation)) {
        for (const symbol of claimed) storedElsewhere.set(symbol, true);
        storedElsewhere.trim();
        logger.warn(
          { partition: batch.partition, symbols: claimed.size },
          "bars of this batch were already stored by another writer (a second consumer group on this database, or events without a key on other workers): its symbols' bars go by upsert from now on",
        );
      }
      throw error;
    } finally {
      // Only this batch's states: another batch in flight may be about to apply revisions to its own.
      for (const symbol of claimed) {
        const state = series.get(symbol);
        if (state) trimSeries(state);
      }
      release();
      // Evicted only now, after the commit: within the batch every symbol's state stayed in memory.
      evictedSymbols += series.trim();
      admission.trim();
      if (homes.size > 2 * series.size) pruneHomes();
    }
  }

  return {
    handleBatch,
    /** Forgets all in-memory state; it is rebuilt from PostgreSQL on demand. */
    reset: forgetAll,
    keepPartitions,
    /** Forgets one symbol (an admin changed, added or purged it): read again from PostgreSQL on its next bar. */
    forget(symbol: string): void {
      forgets++;
      series.delete(symbol);
      admission.forget(symbol);
    },
    /** Symbols whose series state is in memory (within `maxCachedSymbols` and `maxCachedBars` between batches). */
    get cachedSymbols(): number {
      return series.size;
    },
    /** Bars held by the cached series states, as the last batch's trim counted them. */
    get cachedBars(): number {
      return series.weight;
    },
    /** Series states evicted by recency since the handler was created. */
    get evictedSymbols(): number {
      return evictedSymbols;
    },
  };
}
