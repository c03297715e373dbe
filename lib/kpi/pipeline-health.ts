/**
 * The rules that decide whether the pipeline is healthy: a partition that has lag and makes no
 * progress, a worker whose heartbeat is stale, a symbol whose newest bar is older than its source
 * allows while its market is open. Pure functions over plain values; callers pass `now` (epoch ms).
 */

/** A partition with lag whose stored offset has not moved for this long is stalled. */
export const PARTITION_STALL_MS = 6_000;

/** A heartbeat is stale once this many beats in a row are missing. */
export const HEARTBEAT_STALE_BEATS = 3;

/** The shortest time without a new bar that counts as stale (covers the current minute's bar plus slack). */
export const MIN_EXPECTED_BAR_AGE_MS = 3 * 60_000;

/** One partition of the stream worker's group as the monitor last saw it. */
export type PartitionProgress = {
  /** The next offset the stream worker will apply (stream_offsets), or the log start before any. */
  storedOffset: number;
  highWatermark: number;
  /** Events on the broker the worker has not applied yet (never negative). */
  lag: number;
  /** The stored offset moved forward since the previous sample. */
  hasProgressed: boolean;
  /** Since when the partition has had lag with this very stored offset; null while it has none. */
  stuckSince: number | null;
};

/**
 * Folds one sample of a partition into what is known about it. `stuckSince` restarts whenever the
 * offset moves or the lag drains, so a partition that receives an event after a quiet spell is not
 * mistaken for a stalled one: the clock starts at the first sample that sees the unapplied event.
 * The first sample of a partition starts the clock too (when it stopped before is unknown).
 */
export function trackPartitionProgress(
  previous: PartitionProgress | null,
  sample: { storedOffset: number; highWatermark: number; at: number },
): PartitionProgress {
  const lag = Math.max(0, sample.highWatermark - sample.storedOffset);
  const hasProgressed = previous !== null && sample.storedOffset > previous.storedOffset;
  const isUnchanged = previous !== null && sample.storedOffset === previous.storedOffset;
  const stuckSince = lag === 0 ? null : isUnchanged ? (previous.stuckSince ?? sample.at) : sample.at;
  return {
    storedOffset: sample.storedOffset,
    highWatermark: sample.highWatermark,
    lag,
    hasProgressed,
    stuckSince,
  };
}

/** Whether a partition has had lag with an unchanged stored offset for at least `stallMs`. */
export function isPartitionStalled(
  progress: Pick<PartitionProgress, "stuckSince">,
  now: number,
  stallMs = PARTITION_STALL_MS,
): boolean {
  return progress.stuckSince !== null && now - progress.stuckSince >= stallMs;
}

/**
 * Whether a heartbeat `ageSeconds` old is stale for a worker that beats every `heartbeatSeconds`:
 * more than {@link HEARTBEAT_STALE_BEATS} beats are missing. A beat exactly that old is still live.
 */
export function isHeartbeatStale(ageSeconds: number, heartbeatSeconds: number): boolean {
  return ageSeconds > heartbeatSeconds * HEARTBEAT_STALE_BEATS;
}

/** How long a symbol may go without a new bar: two poll intervals, never under three minutes. */
export function computeExpectedBarAgeMs(pollIntervalSeconds: number): number {
  return Math.max(2 * pollIntervalSeconds * 1000, MIN_EXPECTED_BAR_AGE_MS);
}

/** Yahoo's market states during which a symbol trades (the ingest worker stores them lower-cased). */
const OPEN_MARKET_STATES = new Set(["open", "regular"]);

/**
 * Whether new bars are expected for a symbol now. Replayed and synthetic symbols trade around the
 * clock; a Yahoo symbol only while its market state says open; bars of an external source arrive on
 * no schedule this process knows, so they are never expected.
 */
export function isMarketExpectedOpen(source: string, marketState: string | null): boolean {
  if (source === "replay" || source === "synthetic") return true;
  if (source === "yahoo") return marketState !== null && OPEN_MARKET_STATES.has(marketState.toLowerCase());
  return false;
}

export type SymbolFreshness = {
  /** now − start of the newest bar; null before the first bar. */
  ageMs: number | null;
  expectedMs: number;
  isStale: boolean;
};

/**
 * Whether a symbol's newest bar is older than expected while its market is open. A symbol without
 * any bar is stale once it has been active for longer than expected (`activeSince`), so a symbol
 * added a moment ago is not reported before its source had a chance to deliver.
 */
export function assessSymbolFreshness(input: {
  newestBarTs: number | null;
  activeSince: number;
  pollIntervalSeconds: number;
  isMarketOpen: boolean;
  now: number;
}): SymbolFreshness {
  const expectedMs = computeExpectedBarAgeMs(input.pollIntervalSeconds);
  const ageMs = input.newestBarTs === null ? null : input.now - input.newestBarTs;
  const silentForMs = ageMs ?? input.now - input.activeSince;
  return { ageMs, expectedMs, isStale: input.isMarketOpen && silentForMs > expectedMs };
}

/**
 * Events per second between two readings of a counter (offsets, emits). Null when time did not move
 * or the counter went backwards (a topic recreated, a process restarted): no rate is known then.
 */
export function computeRatePerSecond(previous: number, next: number, elapsedMs: number): number | null {
  if (elapsedMs <= 0 || next < previous) return null;
  return ((next - previous) * 1000) / elapsedMs;
}

/**
 * The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest value with at
 * least p % of the values at or below it. Null for no values.
 */
export function computePercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
