import { describe, expect, it } from "vitest";

import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import { describePipelineProblems, summarizeHealth, type HealthReport } from "@/lib/health/check-health";

const healthy: Omit<HealthReport, "status" | "summary"> = {
  checkedAt: "2026-11-23T00:00:00Z",
  postgres: { status: "ok", latencyMs: 3 },
  kafka: { status: "ok", latencyMs: 5, topics: [{ topic: "market.ticks", partitions: 3, present: true }] },
  workers: {
    ingest: {
      status: "ok",
      instances: 1,
      lastBeatSecondsAgo: 2,
      info: {
        kind: "ingest",
        publisher: {
          published: { replay: { AAPL: 12 } },
          rejected: 0,
          sendFailures: 1,
          lastSendAt: 1_700_000_000_000,
          kafkaAvailable: true,
          lastError: null,
          buffered: 0,
          pendingCursors: 0,
        },
        sources: {
          replay: { symbols: 9, behind: 0, held: false, produced: { AAPL: 12 } },
          synthetic: { position: null, held: false, symbols: 0, produced: {} },
          yahoo: {
            held: false,
            circuit: {
              state: "closed",
              consecutiveFailures: 0,
              openedAt: null,
              retryAt: null,
              lastFailure: null,
            },
            errors: { rate_limited: 3 },
            symbols: 1,
            produced: { MSFT: 4 },
            lastSuccess: { MSFT: 1_700_000_000_000 },
            marketState: { MSFT: "open" },
            invalid: [],
          },
        },
      },
    },
    stream: {
      status: "ok",
      instances: 1,
      lastBeatSecondsAgo: 1,
      info: {
        kind: "stream",
        batches: 4,
        applied: 12,
        deadLettered: 2,
        skipped: 0,
        failedBatches: 0,
        lastBatchAt: 1_700_000_000_000,
        lastError: null,
        partitions: [0, 1, 2],
        cachedSymbols: 9,
      },
    },
  },
  realtime: { connections: 3, relayed: 12, invalid: 0, consumerRunning: true, sockets: 3 },
  pipeline: {
    sampledAt: 1_700_000_000_000,
    partitions: 3,
    stalledPartitions: 0,
    totalLag: 12,
    appliedPerSecond: 40,
    activeSymbols: 9,
    staleSymbols: 0,
  },
  problems: [],
};

describe("summarizeHealth", () => {
  it("is ok when every part is up", () => {
    expect(summarizeHealth(healthy).status).toBe("ok");
  });

  it("is down and says which part when PostgreSQL is down", () => {
    const { status, summary } = summarizeHealth({
      ...healthy,
      postgres: { status: "down", error: "connect ECONNREFUSED 127.0.0.1:55432" },
    });
    expect(status).toBe("down");
    expect(summary[0]).toBe("PostgreSQL is DOWN: connect ECONNREFUSED 127.0.0.1:55432.");
  });

  it("is down when Kafka is down, degraded when only a worker is silent", () => {
    expect(
      summarizeHealth({ ...healthy, kafka: { status: "down", error: "no answer", topics: [] } }).summary,
    ).toContain("Kafka is DOWN: no answer.");
    const silent = summarizeHealth({
      ...healthy,
      workers: { ...healthy.workers, stream: { status: "down", instances: 0, lastBeatSecondsAgo: 40 } },
    });
    expect(silent.status).toBe("degraded");
    expect(silent.summary).toContain("The stream worker is NOT running (last heartbeat 40s ago).");
  });

  it("is degraded and says why when a partition makes no progress, though every part is up", () => {
    const message = "Partition 1 of market.ticks has 40 unapplied events and …";
    const { status, summary } = summarizeHealth({
      ...healthy,
      pipeline: { ...healthy.pipeline!, stalledPartitions: 1 },
      problems: [{ check: "partition", subject: "market.ticks/1", message }],
    });
    expect(status).toBe("degraded");
    expect(summary).toContain(message);
    expect(summary.join(" ")).not.toContain("making progress on all");
  });

  it("says in words that data flows when it does", () => {
    const { summary } = summarizeHealth(healthy);
    expect(summary).toContain(
      "The stream worker is making progress on all 3 partitions (12 events behind, applying 40.0/s).",
    );
    expect(summary).toContain("Every active symbol (9) has a recent bar, or its market is closed.");
  });

  it("names missing topics", () => {
    const report = summarizeHealth({
      ...healthy,
      kafka: { status: "degraded", topics: [{ topic: "market.kpis", partitions: 0, present: false }] },
    });
    expect(report.summary).toContain("Kafka is up but topics are missing: market.kpis.");
  });
});

describe("describePipelineProblems", () => {
  const NOW = 1_700_000_010_000;
  const snapshot = {
    sampledAt: NOW - 2_000,
    sampleMs: 2_000,
    problems: [
      { check: "partition", subject: "market.ticks/0", message: "stalled" },
      { check: "freshness", subject: "AAPL", message: "stale" },
      { check: "worker", subject: "stream", message: "reported by the report's own heartbeat check" },
    ],
  } as OpsSnapshot;

  it("passes on the monitor's partition and freshness problems, not those the report checks itself", () => {
    expect(describePipelineProblems(snapshot, NOW).map((p) => p.subject)).toEqual(["market.ticks/0", "AAPL"]);
  });

  it("trusts a snapshot up to three samples old and reports a silent monitor after that", () => {
    expect(describePipelineProblems({ ...snapshot, sampledAt: NOW - 6_000 }, NOW)).toHaveLength(2);
    const silent = describePipelineProblems({ ...snapshot, sampledAt: NOW - 6_001 }, NOW);
    expect(silent).toEqual([
      {
        check: "monitor",
        subject: "pipeline monitor",
        message: "The pipeline monitor has not sampled for 6 s: lag and freshness are unknown.",
      },
    ]);
  });

  it("reports a missing monitor as a problem instead of a clean bill of health", () => {
    expect(describePipelineProblems(null, NOW)[0]?.check).toBe("monitor");
  });
});
