import { Counter, Gauge, Histogram, type Registry } from "prom-client";

import { deadLetterReasonClassSchema } from "@/lib/events/dead-letter";
import { tickSourceSchema } from "@/lib/events/tick-v1";
import { BulkHistogram } from "@/lib/metrics/bulk-histogram";
import { LATENCY_BUCKETS_SECONDS } from "@/lib/metrics/registry";

/** The KPI tables (and the offsets table) a batch writes to. */
export const WRITTEN_TABLES = [
  "fact_prices",
  "daily_stats",
  "kpi_snapshots",
  "raw_ticks",
  "stream_offsets",
] as const;
export type WrittenTable = (typeof WRITTEN_TABLES)[number];

/**
 * The stream worker's series. `partition` is the only label that grows with the deployment (bounded
 * by the topic's partition count); symbols are never a label.
 */
export function createStreamMetrics(registry: Registry) {
  const registers = [registry];
  const deadLetters = new Counter({
    name: "tickstream_stream_dead_letters_total",
    help: "Invalid events recorded as dead letters (in PostgreSQL, with their batch), by reason class",
    labelNames: ["reason"] as const,
    registers,
  });
  for (const reason of deadLetterReasonClassSchema.options) deadLetters.inc({ reason }, 0);
  const rowsWritten = new Counter({
    name: "tickstream_stream_rows_written_total",
    help: "Rows inserted or updated in PostgreSQL by committed batches, by table",
    labelNames: ["table"] as const,
    registers,
  });
  for (const table of WRITTEN_TABLES) rowsWritten.inc({ table }, 0);
  // Every applied event is observed, tens of thousands a second in a backlog: one call per batch.
  const producedToCommitted = new BulkHistogram({
    name: "tickstream_stream_produced_to_committed_seconds",
    help: "End-to-end latency of each applied event, from its producedAt to the commit of its batch in PostgreSQL, by source",
    labelName: "source",
    buckets: LATENCY_BUCKETS_SECONDS,
    registers,
  });
  for (const source of tickSourceSchema.options) producedToCommitted.zero(source);
  const newestBar = new Gauge({
    name: "tickstream_stream_newest_bar_timestamp_seconds",
    help: "Unix time of the newest bar start committed by this worker",
    registers,
  });
  let newestBarTs = -Infinity;

  return {
    eventsApplied: new Counter({
      name: "tickstream_stream_events_applied_total",
      help: "Valid tick events applied to PostgreSQL (committed)",
      registers,
    }),
    eventsSkipped: new Counter({
      name: "tickstream_stream_events_skipped_total",
      help: "Events skipped because their offsets were already applied (rebalance or zombie)",
      registers,
    }),
    batches: new Counter({
      name: "tickstream_stream_batches_total",
      help: "Batches handled, by outcome (applied, gap = re-read from the stored offset, failed = rolled back and retried)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: "tickstream_stream_batch_events",
      help: "Messages per batch handled",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000],
      registers,
    }),
    batchDuration: new Histogram({
      name: "tickstream_stream_batch_duration_seconds",
      help: "Time to handle one batch: parse, compute, write and commit in one transaction",
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers,
    }),
    rowsWritten,
    deadLetters,
    producedToCommitted,
    consumerLag: new Gauge({
      name: "tickstream_stream_consumer_lag_events",
      help: "Events of the partition not yet applied: broker high watermark minus the next offset stored in PostgreSQL",
      labelNames: ["partition"] as const,
      registers,
    }),
    highWatermark: new Gauge({
      name: "tickstream_stream_partition_high_watermark",
      help: "The broker's high watermark of the partition at the last batch",
      labelNames: ["partition"] as const,
      registers,
    }),
    committedOffset: new Gauge({
      name: "tickstream_stream_committed_offset",
      help: "Next offset of the partition stored in PostgreSQL with the last committed batch",
      labelNames: ["partition"] as const,
      registers,
    }),
    assignedPartitions: new Gauge({
      name: "tickstream_stream_assigned_partitions",
      help: "Partitions of market.ticks assigned to this worker",
      registers,
    }),
    lastCommit: new Gauge({
      name: "tickstream_stream_last_commit_timestamp_seconds",
      help: "Unix time of the last batch committed to PostgreSQL",
      registers,
    }),
    /** Moves the newest-bar gauge forward to `ts` (epoch ms); a late bar never moves it back. */
    raiseNewestBar(ts: number): void {
      if (ts <= newestBarTs) return;
      newestBarTs = ts;
      newestBar.set(ts / 1000);
    },
    deadLettersPublished: new Counter({
      name: "tickstream_stream_dead_letters_published_total",
      help: "Dead letters this worker's relay published to the dead-letter topic (acknowledged by the broker)",
      registers,
    }),
    deadLettersUnpublished: new Gauge({
      name: "tickstream_stream_dead_letters_unpublished",
      help: "Dead letters recorded in PostgreSQL and not yet published to the dead-letter topic (all workers)",
      registers,
    }),
    deadLettersOldestUnpublishedAge: new Gauge({
      name: "tickstream_stream_dead_letters_oldest_unpublished_age_seconds",
      help: "Age of the oldest dead letter not yet published to the dead-letter topic (0 when none waits)",
      registers,
    }),
    cachedSymbols: new Gauge({
      name: "tickstream_stream_cached_symbols",
      help: "Symbols whose state the worker holds in memory after its last batch (bounded by STREAM_MAX_CACHED_SYMBOLS and STREAM_MAX_CACHED_BARS)",
      registers,
    }),
    cachedBars: new Gauge({
      name: "tickstream_stream_cached_bars",
      help: "Bars held by the symbol states in memory after the last batch (bounded by STREAM_MAX_CACHED_BARS)",
      registers,
    }),
    cachedBarsCapacity: new Gauge({
      name: "tickstream_stream_cached_bars_capacity",
      help: "STREAM_MAX_CACHED_BARS: bars kept in memory between batches; the least recently used symbols beyond it are evicted",
      registers,
    }),
    cachedSymbolsCapacity: new Gauge({
      name: "tickstream_stream_cached_symbols_capacity",
      help: "STREAM_MAX_CACHED_SYMBOLS: symbols kept in memory between batches; the least recently used beyond it are evicted",
      registers,
    }),
    evictedSymbols: new Counter({
      name: "tickstream_stream_evicted_symbols_total",
      help: "Symbol states evicted from memory by recency, beyond either bound (rebuilt from PostgreSQL on the symbol's next bar)",
      registers,
    }),
    registeredSymbols: new Counter({
      name: "tickstream_stream_registered_symbols_total",
      help: "Symbols registered as external because their events arrived unregistered (UNKNOWN_SYMBOLS=register)",
      registers,
    }),
    kpiUpdates: new Counter({
      name: "tickstream_stream_kpi_updates_total",
      help: "Live KPI updates published to market.kpis after commits, by outcome (sent, failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
}

export type StreamMetrics = ReturnType<typeof createStreamMetrics>;

/** What a committed batch did, as the stream worker observes it. */
export type AppliedBatch = {
  partition: number;
  /** The broker's high watermark of the partition when the batch was fetched (kafkajs batch.highWatermark). */
  highWatermark: number;
  /** Next offset stored in PostgreSQL with the batch. */
  nextOffset: number;
  ticks: readonly { source: string; ts: number; producedAt: number }[];
  skipped: number;
  rows: Record<WrittenTable, number>;
  /** When the transaction had committed (epoch ms). */
  committedAt: number;
};

/** Records a committed batch: events, rows, lag of its partition and the latency of each event. */
export function recordAppliedBatch(metrics: StreamMetrics, batch: AppliedBatch): void {
  const partition = String(batch.partition);
  metrics.batches.inc({ outcome: "applied" });
  metrics.eventsApplied.inc(batch.ticks.length);
  metrics.eventsSkipped.inc(batch.skipped);
  for (const table of WRITTEN_TABLES)
    if (batch.rows[table] > 0) metrics.rowsWritten.inc({ table }, batch.rows[table]);
  metrics.highWatermark.set({ partition }, batch.highWatermark);
  metrics.committedOffset.set({ partition }, batch.nextOffset);
  metrics.consumerLag.set({ partition }, Math.max(0, batch.highWatermark - batch.nextOffset));
  metrics.lastCommit.set(batch.committedAt / 1000);
  const { ticks, committedAt } = batch;
  if (ticks.length === 0) return;
  // One call per source (a batch nearly always has one).
  const bySource = new Map<string, (typeof ticks)[number][]>();
  let newest = -Infinity;
  for (const tick of ticks) {
    if (tick.ts > newest) newest = tick.ts;
    const list = bySource.get(tick.source);
    if (list) list.push(tick);
    else bySource.set(tick.source, [tick]);
  }
  for (const [source, list] of bySource)
    metrics.producedToCommitted.observeAll(
      source,
      list,
      (tick) => Math.max(0, committedAt - tick.producedAt) / 1000,
    );
  metrics.raiseNewestBar(newest);
}

/** Drops the per-partition series of partitions this worker no longer holds (after a rebalance). */
export function forgetPartitions(metrics: StreamMetrics, partitions: readonly number[]): void {
  for (const p of partitions) {
    const partition = String(p);
    metrics.consumerLag.remove({ partition });
    metrics.highWatermark.remove({ partition });
    metrics.committedOffset.remove({ partition });
  }
}
