import { describe, expect, it } from "vitest";

import { createMetricsRegistry } from "@/lib/metrics/registry";
import { readSample } from "@/lib/metrics/testing/read-sample";
import { createStreamMetrics, forgetPartitions, recordAppliedBatch } from "@/lib/metrics/stream-metrics";

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

  it("observes each event under its own source when a batch mixes sources, and nothing for an empty one", async () => {
    const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
    const metrics = createStreamMetrics(registry);
    recordAppliedBatch(metrics, {
      ...batch,
      ticks: [
        { source: "replay", ts: 1_773_322_200_000, producedAt: 1_000 },
        { source: "yahoo", ts: 1_773_322_200_000, producedAt: 1_980 },
        { source: "replay", ts: 1_773_322_320_000, producedAt: 1_900 },
        { source: "synthetic", ts: 1_773_322_260_000, producedAt: 1_700 },
      ],
    });
    recordAppliedBatch(metrics, { ...batch, ticks: [] });
    const read = (suffix: string, labels: Record<string, string | number>) =>
      readSample(registry, `tickstream_stream_produced_to_committed_seconds_${suffix}`, labels);
    expect(await read("count", { source: "replay" })).toBe(2);
    expect(await read("bucket", { source: "replay", le: 0.1 })).toBe(1);
    expect(await read("sum", { source: "replay" })).toBeCloseTo(1.1);
    expect(await read("count", { source: "yahoo" })).toBe(1);
    expect(await read("bucket", { source: "yahoo", le: 0.02 })).toBe(1);
    expect(await read("bucket", { source: "synthetic", le: 0.25 })).toBe(0);
    expect(await read("bucket", { source: "synthetic", le: 0.3 })).toBe(1);
    expect(await read("count", { source: "synthetic" })).toBe(1);
    expect(await readSample(registry, "tickstream_stream_newest_bar_timestamp_seconds")).toBe(1_773_322_320);
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
