import { describe, expect, it } from "vitest";

import { summarizeHealth, type HealthReport } from "@/lib/health/check-health";

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
          yahoo: { held: false, errors: { rate_limited: 3 }, lastSuccess: { MSFT: 1_700_000_000_000 } },
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
  realtime: { sockets: 3 },
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

  it("names missing topics", () => {
    const report = summarizeHealth({
      ...healthy,
      kafka: { status: "degraded", topics: [{ topic: "market.kpis", partitions: 0, present: false }] },
    });
    expect(report.summary).toContain("Kafka is up but topics are missing: market.kpis.");
  });
});
