import { createThrottledPass } from "@/lib/throttled-pass";

/** A partition's next offset, as Kafka's OffsetCommit takes it. */
export type PartitionOffset = { topic: string; partition: number; offset: string };

export type LagOffsetsDeps = {
  /** Least time between two commits. */
  intervalMs: number;
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  onError: (error: unknown) => void;
};

/**
 * Commits the stored offsets to Kafka's consumer group for lag monitoring only (the truth is
 * stream_offsets, committed with the rows), at most once per `intervalMs`: a commit request per batch
 * cost the worker and the broker a round trip per batch at a steady rate. Each commit carries the
 * newest offset of every partition recorded since the last one; the last offset is always committed.
 */
export function createLagOffsets(deps: LagOffsetsDeps) {
  let pending = new Map<string, PartitionOffset>();
  const passes = createThrottledPass({
    intervalMs: deps.intervalMs,
    hasWork: () => pending.size > 0,
    pass: () => {
      const offsets = [...pending.values()];
      pending = new Map();
      return deps.commit(offsets);
    },
    onError: deps.onError,
  });
  return {
    record(topic: string, partition: number, nextOffset: number): void {
      pending.set(`${topic}:${partition}`, { topic, partition, offset: String(nextOffset) });
      passes.kick();
    },
    /** Commits what is recorded now; resolves when no commit is left. */
    flush: () => passes.flush(),
  };
}
