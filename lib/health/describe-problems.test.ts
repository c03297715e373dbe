import { describe, expect, it } from "vitest";

import {
  describeFreshnessProblem,
  describeMonitorProblems,
  describePartitionProblem,
  describeWorkerProblem,
  formatDuration,
  summarizeWorkers,
} from "@/lib/health/describe-problems";

const beat = (kind: string, ageSeconds: number) => ({
  workerId: `${kind}-${ageSeconds}`,
  kind,
  hostname: "h",
  pid: 1,
  startedAt: new Date(0),
  lastBeatAt: new Date(1_000),
  ageSeconds,
});

describe("describeWorkerProblem", () => {
  it("is silent while one instance of the kind beats, even beside the stale row of a killed one", () => {
    const workers = summarizeWorkers([beat("stream", 1), beat("stream", 300)], 2);
    expect(describeWorkerProblem("stream", workers, 2)).toBeNull();
  });

  it("names the kind and the age once its only heartbeat is more than three beats old", () => {
    expect(describeWorkerProblem("stream", summarizeWorkers([beat("stream", 6)], 2), 2)).toBeNull();
    expect(describeWorkerProblem("stream", summarizeWorkers([beat("stream", 8)], 2), 2)).toEqual({
      check: "worker",
      subject: "stream",
      message:
        "The stream worker is not running: its last heartbeat is 8 s old, and it beats every 2 s (stale after 3 missed beats).",
    });
  });

  it("says when a kind never beat at all", () => {
    expect(describeWorkerProblem("ingest", [], 2)?.message).toBe(
      "No ingest worker is running: none has ever sent a heartbeat.",
    );
  });
});

describe("describePartitionProblem and describeFreshnessProblem", () => {
  const partition = {
    partition: 2,
    highWatermark: 140,
    storedOffset: 100,
    lag: 40,
    hasProgressed: false,
    stuckForMs: 7_000,
    isStalled: true,
  };

  it("explains a stalled partition with its lag and how long the offset stood still", () => {
    expect(describePartitionProblem("market.ticks", partition)?.message).toBe(
      "Partition 2 of market.ticks has 40 unapplied events and the stream worker's stored offset has not moved for 7 s: no worker is making progress on it.",
    );
    expect(describePartitionProblem("market.ticks", { ...partition, isStalled: false })).toBeNull();
  });

  it("explains a stale symbol with the age of its newest bar", () => {
    const stale = {
      symbol: "AAPL",
      source: "yahoo",
      marketState: "open",
      isMarketOpen: true,
      newestBarTs: 0,
      lastTickTs: 0,
      ageMs: 5 * 60_000,
      expectedMs: 3 * 60_000,
      isStale: true,
    };
    expect(describeFreshnessProblem(stale)?.message).toBe(
      "AAPL (yahoo): the newest bar started 5 min ago while its market is open; a new one is expected within 3 min.",
    );
    expect(describeFreshnessProblem({ ...stale, isStale: false })).toBeNull();
  });
});

describe("describeMonitorProblems", () => {
  it("leaves worker kinds alone when the heartbeats could not be read (the database problem says why)", () => {
    const problems = describeMonitorProblems({
      broker: { status: "ok" },
      database: { status: "down", error: "timeout" },
      ticksTopic: "market.ticks",
      partitions: [],
      freshness: [],
      workers: null,
      expectedWorkers: ["stream"],
      heartbeatSeconds: 2,
    });
    expect(problems.map((p) => p.check)).toEqual(["postgres"]);
  });
});

describe("formatDuration", () => {
  it("counts seconds up to two minutes, then minutes, then hours", () => {
    expect(formatDuration(119_000)).toBe("119 s");
    expect(formatDuration(120_000)).toBe("2 min");
    expect(formatDuration(7_200_000)).toBe("2 h");
  });
});
