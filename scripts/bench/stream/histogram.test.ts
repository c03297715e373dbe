import { describe, expect, it } from "vitest";

import {
  addBuckets,
  computeHistogramQuantile,
  getHistogramMaxBound,
  parseHistogram,
  subtractBuckets,
} from "./histogram";

const EXPOSITION = `# HELP tickstream_stream_produced_to_committed_seconds End-to-end latency
# TYPE tickstream_stream_produced_to_committed_seconds histogram
tickstream_stream_produced_to_committed_seconds_bucket{le="0.05",source="synthetic",service="stream"} 10
tickstream_stream_produced_to_committed_seconds_bucket{le="0.1",source="synthetic",service="stream"} 30
tickstream_stream_produced_to_committed_seconds_bucket{le="+Inf",source="synthetic",service="stream"} 40
tickstream_stream_produced_to_committed_seconds_bucket{le="0.05",source="replay",service="stream"} 2
tickstream_stream_produced_to_committed_seconds_bucket{le="0.1",source="replay",service="stream"} 2
tickstream_stream_produced_to_committed_seconds_bucket{le="+Inf",source="replay",service="stream"} 2
tickstream_stream_produced_to_committed_seconds_sum{source="synthetic",service="stream"} 3.2
tickstream_stream_batch_duration_seconds_bucket{le="0.05",service="stream"} 99`;

describe("parseHistogram", () => {
  it("sums the buckets of every label set of the named histogram only, +Inf last", () => {
    expect(parseHistogram(EXPOSITION, "tickstream_stream_produced_to_committed_seconds")).toEqual([
      { le: 0.05, count: 12 },
      { le: 0.1, count: 32 },
      { le: Infinity, count: 42 },
    ]);
  });

  it("is empty when the series is absent", () => {
    expect(parseHistogram(EXPOSITION, "tickstream_missing_seconds")).toEqual([]);
  });
});

describe("computeHistogramQuantile", () => {
  const buckets = [
    { le: 0.1, count: 50 },
    { le: 0.2, count: 90 },
    { le: 0.5, count: 100 },
    { le: Infinity, count: 100 },
  ];

  it("interpolates linearly inside the first bucket from zero", () => {
    expect(computeHistogramQuantile(0.25, buckets)).toBeCloseTo(0.05);
  });

  it("interpolates between the bounds of the bucket that holds the rank", () => {
    // rank 70 lies halfway between 50 (≤ 0.1) and 90 (≤ 0.2)
    expect(computeHistogramQuantile(0.7, buckets)).toBeCloseTo(0.15);
    // rank 99 is 9/10 of the way from 90 to 100 in (0.2, 0.5]
    expect(computeHistogramQuantile(0.99, buckets)).toBeCloseTo(0.47);
  });

  it("answers the highest finite bound when the rank falls in +Inf", () => {
    const tail = [
      { le: 0.1, count: 5 },
      { le: Infinity, count: 10 },
    ];
    expect(computeHistogramQuantile(0.9, tail)).toBe(0.1);
  });

  it("is null with no observations", () => {
    expect(computeHistogramQuantile(0.5, [{ le: Infinity, count: 0 }])).toBeNull();
    expect(computeHistogramQuantile(0.5, [])).toBeNull();
  });
});

describe("bucket deltas", () => {
  it("keeps only the observations made between two scrapes, summed over workers", () => {
    const before = [
      { le: 0.1, count: 10 },
      { le: Infinity, count: 10 },
    ];
    const worker1 = [
      { le: 0.1, count: 15 },
      { le: Infinity, count: 20 },
    ];
    const worker2 = [
      { le: 0.1, count: 5 },
      { le: Infinity, count: 5 },
    ];
    const delta = subtractBuckets(addBuckets([worker1, worker2]), before);
    expect(delta).toEqual([
      { le: 0.1, count: 10 },
      { le: Infinity, count: 15 },
    ]);
    expect(computeHistogramQuantile(0.5, delta)).toBeCloseTo(0.075);
  });

  it("bounds the maximum by the highest bucket that gained observations", () => {
    const delta = [
      { le: 0.1, count: 3 },
      { le: 0.2, count: 3 },
      { le: 0.5, count: 4 },
      { le: 1, count: 4 },
      { le: Infinity, count: 4 },
    ];
    expect(getHistogramMaxBound(delta)).toBe(0.5);
    expect(getHistogramMaxBound([{ le: Infinity, count: 0 }])).toBeNull();
  });
});
