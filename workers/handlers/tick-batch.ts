import type { Db, DbOrTx } from "@/lib/db/client";
import { upsertDailyStats } from "@/lib/db/queries/daily-stats";
import { loadSymbolHistory, upsertFactPrices } from "@/lib/db/queries/fact-prices";
import { upsertKpiSnapshots } from "@/lib/db/queries/kpi-snapshots";
import { insertRawTicks, type LandedTick } from "@/lib/db/queries/raw-ticks";
import { lockStreamOffset, saveStreamOffset, type OffsetKey } from "@/lib/db/queries/stream-offsets";
import { insertDeadLetters, type RecordedDeadLetter } from "@/lib/db/queries/dead-letters";
import { getSymbolTimeZones, registerExternalSymbols } from "@/lib/db/queries/symbols";
import {
  boundDeadLetterValue,
  type DeadLetterReasonClass,
  type DeadLetterRejection,
} from "@/lib/events/dead-letter";
import { parseTickMessage, type TickV1 } from "@/lib/events/tick-v1";
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
import { isFutureBar } from "@/lib/kpi/future-bar";
import type { Bar } from "@/lib/kpi/types";
import type { Logger } from "@/lib/log";

export type TickBatchConfig = {
  groupId: string;
  windows: readonly number[];
  finalGraceMs: number;
  /** Time zone of symbols that are not registered in `symbols`. */
  defaultTimeZone: string;
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
    }
  /** The stored offset is ahead of this batch's start: the partition must be re-read from `seekTo`. */
  | { kind: "gap"; seekTo: number };

type Rejected = { message: InMessage } & DeadLetterRejection;
type Parsed = { message: InMessage; tick: TickV1 } | Rejected;

function parse(message: InMessage, now: number, futureToleranceMs: number): Parsed {
  const result = parseTickMessage(message.value);
  if (!result.ok) return { message, reasonClass: result.reasonClass, reason: result.reason };
  if (isFutureBar(result.tick.ts, now, futureToleranceMs)) {
    return {
      message,
      reasonClass: "future_bar",
      reason: `bar starts in the future: ts ${new Date(result.tick.ts).toISOString()} is more than ${futureToleranceMs / 1000} s after the clock (${new Date(now).toISOString()})`,
    };
  }
  if (message.key !== null && message.key !== result.tick.symbol) {
    return {
      message,
      reasonClass: "key_mismatch",
      reason: `message key ${JSON.stringify(message.key)} does not match symbol ${result.tick.symbol}`,
    };
  }
  return { message, tick: result.tick };
}

/** A dead letter keeps the bytes it received, whatever they were (bounded: boundDeadLetterValue). */
function toDeadLetter(batch: TickBatch, item: Rejected, now: number): RecordedDeadLetter {
  return {
    sourceTopic: batch.topic,
    sourcePartition: batch.partition,
    sourceOffset: item.message.offset,
    messageKey: item.message.key,
    ...boundDeadLetterValue(item.message.value),
    reasonClass: item.reasonClass,
    reason: item.reason.slice(0, 1000),
    failedAt: new Date(now),
  };
}

/**
 * The stream worker's core: one Kafka batch of `market.ticks` (one partition) becomes one PostgreSQL
 * transaction holding the KPI rows it changes and the partition's next offset. Per-symbol state lives
 * in memory between batches and is rebuilt from PostgreSQL whenever it may be stale (first sight,
 * rebalance, failed batch, late bar older than what is loaded).
 */
export function createTickBatchHandler(deps: TickBatchDeps) {
  const { db, logger, config } = deps;
  const series = new Map<string, SeriesState>();
  const timeZones = new Map<string, string>();

  async function getSeries(
    tx: DbOrTx,
    symbol: string,
    timeZone: string,
    fromTs: number,
  ): Promise<SeriesState> {
    const cached = series.get(symbol);
    if (cached && canRecomputeFrom(cached, fromTs)) return cached;
    const loadFrom = computeLoadFrom(fromTs, config.windows);
    const history = await loadSymbolHistory(tx, symbol, loadFrom, CONTEXT_BARS);
    const state = createSeriesState(
      { symbol, timeZone, windows: config.windows, finalGraceMs: config.finalGraceMs },
      history.bars,
      history.hasAllHistory,
    );
    series.set(symbol, state);
    return state;
  }

  async function resolveTimeZones(tx: DbOrTx, symbols: string[]): Promise<void> {
    const unknown = symbols.filter((s) => !timeZones.has(s));
    if (unknown.length === 0) return;
    const found = await getSymbolTimeZones(tx, unknown);
    const unregistered = unknown.filter((s) => !found.has(s));
    if (unregistered.length > 0) {
      await registerExternalSymbols(tx, unregistered, config.defaultTimeZone);
      logger.info({ symbols: unregistered }, "registered symbols first seen on the topic as external");
    }
    for (const s of unknown) timeZones.set(s, found.get(s) ?? config.defaultTimeZone);
  }

  async function handleBatch(batch: TickBatch): Promise<TickBatchResult> {
    const first = batch.messages[0];
    const last = batch.messages[batch.messages.length - 1];
    if (!first || !last) throw new Error("handleBatch needs at least one message");
    const key: OffsetKey = { consumerGroup: config.groupId, topic: batch.topic, partition: batch.partition };
    const now = deps.clock();
    try {
      return await db.transaction(async (tx) => {
        const stored = await lockStreamOffset(tx, key, first.offset);
        if (stored < first.offset) return { kind: "gap", seekTo: stored } as const;
        const fresh = batch.messages.filter((m) => m.offset >= stored);
        const skipped = batch.messages.length - fresh.length;
        if (skipped > 0) {
          // Another member applied these already (a rebalance or a zombie): our memory may be behind.
          series.clear();
          logger.info({ partition: batch.partition, skipped, stored }, "skipping offsets already applied");
        }
        if (fresh.length === 0)
          return {
            kind: "applied",
            nextOffset: stored,
            changes: new Map(),
            ticks: [],
            applied: 0,
            skipped,
            deadLettered: 0,
            deadLetterClasses: [],
          } as const;

        const parsed = fresh.map((m) => parse(m, now, config.futureToleranceMs));
        const dead = parsed.filter((p): p is Rejected => "reason" in p);
        const good = parsed.filter((p): p is { message: InMessage; tick: TickV1 } => "tick" in p);

        // Coalesce revisions: per symbol and minute the highest offset wins (messages are in offset order).
        const bySymbol = new Map<string, Map<number, Bar>>();
        for (const { tick } of good) {
          let bars = bySymbol.get(tick.symbol);
          if (!bars) bySymbol.set(tick.symbol, (bars = new Map<number, Bar>()));
          bars.set(tick.ts, toBar(tick));
        }
        await resolveTimeZones(tx, [...bySymbol.keys()]);

        const changes = new Map<string, SeriesChanges>();
        for (const [symbol, bars] of bySymbol) {
          const revisions = [...bars.values()];
          const fromTs = Math.min(...revisions.map((b) => b.ts));
          const state = await getSeries(tx, symbol, timeZones.get(symbol)!, fromTs);
          changes.set(symbol, applyRevisions(state, revisions, now));
        }
        const all = [...changes.values()];
        await upsertFactPrices(
          tx,
          all.flatMap((c) => c.bars),
        );
        await upsertDailyStats(
          tx,
          all.flatMap((c) => c.days),
        );
        await upsertKpiSnapshots(
          tx,
          all.flatMap((c) => c.windows),
        );
        if (config.landRawTicks) {
          const landed: LandedTick[] = good.map(({ message, tick }) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            tick,
          }));
          await insertRawTicks(tx, landed);
        }
        if (dead.length > 0) {
          for (const d of dead)
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
          await insertDeadLetters(
            tx,
            dead.map((d) => toDeadLetter(batch, d, now)),
          );
        }
        const nextOffset = last.offset + 1;
        await saveStreamOffset(tx, key, nextOffset);
        return {
          kind: "applied",
          nextOffset,
          changes,
          ticks: good.map((g) => g.tick),
          applied: good.length,
          skipped,
          deadLettered: dead.length,
          deadLetterClasses: dead.map((d) => d.reasonClass),
        } as const;
      });
    } catch (error) {
      // The transaction rolled back but the in-memory series may hold its changes: forget them all.
      series.clear();
      throw error;
    } finally {
      for (const state of series.values()) trimSeries(state);
    }
  }

  return {
    handleBatch,
    /** Forgets all in-memory state (after a rebalance); it is rebuilt from PostgreSQL on demand. */
    reset(): void {
      series.clear();
      timeZones.clear();
    },
    /** Forgets one symbol (an admin changed or purged it): rebuilt from PostgreSQL on its next bar. */
    forget(symbol: string): void {
      series.delete(symbol);
      timeZones.delete(symbol);
    },
    get cachedSymbols(): number {
      return series.size;
    },
  };
}
