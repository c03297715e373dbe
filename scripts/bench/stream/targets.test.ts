import { describe, expect, it } from "vitest";

import type { DrainResult } from "./run-drain";
import { checkTargets } from "./targets";

function drain(
  events: number,
  eventsPerSecond: number,
  ceiling: number,
  cpuMicrosPerEvent: number,
): DrainResult {
  return {
    kind: "drain",
    label: "drain",
    dataSet: { symbols: 1_000, minutes: events / 1_100, firstTs: 0 },
    events,
    workers: 1,
    produceSeconds: 1,
    drained: true,
    seconds: events / eventsPerSecond,
    secondsWithStartup: events / eventsPerSecond + 5,
    eventsPerSecond,
    eventsPerSecondWithStartup: eventsPerSecond / 2,
    rowsPerSecond: eventsPerSecond * 2,
    cpuMicrosPerEvent,
    processes: [],
    servers: { postgres: 0, kafka: 0, kafkaJit: 0 },
    consumerPerformance: {
      messages: events,
      eventsPerSecond: ceiling,
      fetchEventsPerSecond: ceiling * 2,
      megabytesPerSecond: 10,
      seconds: 1,
      cpuSeconds: 1,
      peakRssMiB: 100,
    },
    kafkajs: { eventsPerSecond: 1, eventsPerSecondWithJoin: 1, seconds: 1, cpuSeconds: 1 },
    lag: [],
    comparison: null,
  };
}

describe("checkTargets, backlog drain", () => {
  it("passes at 30,000 events/s and a quarter of Kafka's own consumer, misses below", () => {
    const pass = checkTargets([drain(110_000, 30_000, 120_000, 100)]);
    expect(pass.map((c) => c.pass)).toEqual([true, true, true]);
    const miss = checkTargets([drain(110_000, 29_999, 120_000, 121)]);
    expect(miss.map((c) => c.pass)).toEqual([false, false, false]);
    expect(miss[1]!.figure).toBe("25.0% of 120,000 events/s");
  });

  it("does not judge a smoke run's small backlog against the issue's figures", () => {
    const checks = checkTargets([drain(11_000, 50_000, 1_000, 10)]);
    expect(checks).toEqual([
      expect.objectContaining({ pass: null, figure: "not judged on 11000 events (quick)" }),
    ]);
  });
});
