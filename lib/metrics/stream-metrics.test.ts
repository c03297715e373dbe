import { describe, expect, it } from "vitest";

import { parseTickMessage } from "@/lib/events/tick-v1";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { readSample } from "@/lib/metrics/testing/read-sample";
import {
  classifyDeadLetterReason,
  createStreamMetrics,
  forgetPartitions,
  recordAppliedBatch,
} from "@/lib/metrics/stream-metrics";

const reasonOf = (value: string | null) => {
  const result = parseTickMessage(value);
  if (result.ok) throw new Error("expected a rejected message");
  return result.reason;
};
const validTick = {
  v: 1,
  symbol: "AAPL",
  ts: 1_773_322_200_000,
  open: 10,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 100,
  source: "replay",
  producedAt: 1_773_322_201_000,
};

describe("classifyDeadLetterReason", () => {
  it("sorts the reasons parseTickMessage gives into bounded classes", () => {
    expect(classifyDeadLetterReason(reasonOf(null))).toBe("empty");
    expect(classifyDeadLetterReason(reasonOf("{nope"))).toBe("not_json");
    expect(classifyDeadLetterReason(reasonOf(JSON.stringify({ ...validTick, v: 2 })))).toBe(
      "unknown_version",
    );
    expect(classifyDeadLetterReason(reasonOf(JSON.stringify({ ...validTick, high: 1 })))).toBe("schema");
    expect(classifyDeadLetterReason(reasonOf(JSON.stringify({ ...validTick, ts: 1 })))).toBe("schema");
    expect(classifyDeadLetterReason(reasonOf("42"))).toBe("schema");
  });

  it("knows the batch handler's key mismatch and keeps unknown texts apart as other", () => {
    expect(classifyDeadLetterReason('message key "MSFT" does not match symbol AAPL')).toBe("key_mismatch");
    expect(classifyDeadLetterReason("bar ts is in the future beyond the tolerance")).toBe("future_bar");
    expect(classifyDeadLetterReason("something nobody planned")).toBe("other");
  });
});

describe("recordAppliedBatch", () => {
  const batch = {
    partition: 2,
    highWatermark: 120,
    nextOffset: 100,
    ticks: [
      { source: "replay", ts: 1_773_322_200_000, producedAt: 1_000 },
      { source: "replay", ts: 1_773_322_260_000, producedAt: 1_900 },
    ],
    skipped: 0,
    rows: { fact_prices: 2, daily_stats: 1, kpi_snapshots: 3, raw_ticks: 2, stream_offsets: 1 },
    committedAt: 2_000,
  };

  it("sets the partition's lag from the high watermark and the stored next offset", async () => {
    const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
    const metrics = createStreamMetrics(registry);
    recordAppliedBatch(metrics, batch);
    const read = (name: string, labels = {}) => readSample(registry, `tickstream_stream_${name}`, labels);
    expect(await read("consumer_lag_events", { partition: 2 })).toBe(20);
    expect(await read("committed_offset", { partition: 2 })).toBe(100);
    expect(await read("partition_high_watermark", { partition: 2 })).toBe(120);
    expect(await read("rows_written_total", { table: "kpi_snapshots" })).toBe(3);
    expect(await read("rows_written_total", { table: "stream_offsets" })).toBe(1);
    expect(await read("events_applied_total")).toBe(2);
    expect(await read("batches_total", { outcome: "applied" })).toBe(1);
  });

  it("observes each event's producedAt → commit latency (1 s and 0.1 s here)", async () => {
    const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
    const metrics = createStreamMetrics(registry);
    recordAppliedBatch(metrics, batch);
    const read = (suffix: string, labels = {}) =>
      readSample(registry, `tickstream_stream_produced_to_committed_seconds_${suffix}`, {
        source: "replay",
        ...labels,
      });
    expect(await read("bucket", { le: 0.05 })).toBe(0);
    expect(await read("bucket", { le: 0.1 })).toBe(1);
    expect(await read("bucket", { le: 1 })).toBe(2);
    expect(await read("sum")).toBeCloseTo(1.1);
    expect(await read("count", { source: "yahoo" })).toBe(0);
  });

  it("never moves the newest bar back for a late bar, and forgets partitions moved away", async () => {
    const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
    const metrics = createStreamMetrics(registry);
    recordAppliedBatch(metrics, batch);
    recordAppliedBatch(metrics, { ...batch, ticks: [{ source: "replay", ts: 1_000, producedAt: 1_000 }] });
    expect(await readSample(registry, "tickstream_stream_newest_bar_timestamp_seconds")).toBe(1_773_322_260);
    forgetPartitions(metrics, [2]);
    expect(await registry.metrics()).not.toContain('partition="2"');
  });
});
