import { describe, expect, it } from "vitest";

import {
  readWorkerMetrics,
  type IngestWorkerMetrics,
  type StreamWorkerMetrics,
} from "@/lib/events/worker-metrics";

const STREAM: StreamWorkerMetrics = {
  kind: "stream",
  batches: 4,
  applied: 12,
  deadLettered: 2,
  skipped: 0,
  failedBatches: 1,
  lastBatchAt: 1_700_000_000_000,
  lastError: null,
  partitions: [0, 2],
  cachedSymbols: 9,
};

const INGEST: IngestWorkerMetrics = {
  kind: "ingest",
  publisher: {
    published: { replay: { AAPL: 3 } },
    rejected: 0,
    sendFailures: 0,
    lastSendAt: 0,
    kafkaAvailable: true,
    lastError: null,
    buffered: 0,
    pendingCursors: 0,
  },
  sources: {
    replay: { symbols: 9, behind: 0, held: false, produced: { AAPL: 3 } },
    synthetic: { position: null, held: false, symbols: 0, produced: {} },
    yahoo: {
      held: false,
      circuit: { state: "closed", consecutiveFailures: 0, openedAt: null, retryAt: null, lastFailure: null },
      errors: { timeout: 2 },
      symbols: 0,
      produced: {},
      lastSuccess: {},
      marketState: {},
      invalid: [],
    },
  },
};

describe("readWorkerMetrics", () => {
  it("returns the figures a worker of that kind wrote", () => {
    expect(readWorkerMetrics("stream", STREAM)).toEqual(STREAM);
    expect(readWorkerMetrics("ingest", INGEST)).toEqual(INGEST);
  });

  it("treats missing, partial or mistyped figures as unknown, never as zeros", () => {
    expect(readWorkerMetrics("stream", {})).toBeNull();
    expect(readWorkerMetrics("stream", undefined)).toBeNull();
    const { applied: _applied, ...withoutApplied } = STREAM;
    expect(readWorkerMetrics("stream", withoutApplied)).toBeNull();
    expect(readWorkerMetrics("stream", { ...STREAM, batches: "4" })).toBeNull();
  });

  it("rejects the figures of another kind of worker (a heartbeat row with a wrong kind)", () => {
    expect(readWorkerMetrics("ingest", STREAM)).toBeNull();
  });

  it("keeps the figures both sides know when a newer worker adds one", () => {
    expect(readWorkerMetrics("stream", { ...STREAM, commitLatencyMs: 3 })).toEqual(STREAM);
  });
});

describe("source figures of an ingest heartbeat", () => {
  it("treats the heartbeat as unknown when one source's figures do not match their schema", () => {
    const { yahoo: _yahoo, ...withoutYahoo } = INGEST.sources;
    expect(readWorkerMetrics("ingest", { ...INGEST, sources: withoutYahoo })).toBeNull();
    expect(
      readWorkerMetrics("ingest", {
        ...INGEST,
        sources: { ...INGEST.sources, replay: { ...INGEST.sources.replay, behind: "2" } },
      }),
    ).toBeNull();
  });
});
