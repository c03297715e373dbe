import { describe, expect, it } from "vitest";

import { computeCpuBudget } from "./cpu-budget";

describe("computeCpuBudget", () => {
  it("adds each part's CPU an event and caps the rate at the cores over that sum", () => {
    // The figures of a slow evening's drain: 110,000 events, the worker 5.06 CPU s, PostgreSQL 3.08.
    const budget = computeCpuBudget({
      events: 110_000,
      cores: 2,
      workerCount: 1,
      machineBusyShare: 0.93,
      cpuSeconds: { workers: 5.06, web: 0.99, postgres: 3.08, kafka: 0.66 },
    })!;
    expect(budget.microsPerEvent.workers).toBeCloseTo(46, 6);
    expect(budget.microsPerEvent.web).toBeCloseTo(9, 6);
    expect(budget.microsPerEvent.postgres).toBeCloseTo(28, 6);
    expect(budget.microsPerEvent.kafka).toBeCloseTo(6, 6);
    expect(budget.microsPerEvent.total).toBeCloseTo(89, 6);
    expect(budget.machineCeiling).toBeCloseTo(2e6 / 89, 6);
    // One worker's JavaScript has one thread: a core, whatever the machine has.
    expect(budget.workersCeiling).toBeCloseTo(1e6 / 46, 6);
    expect(budget.machineBusyShare).toBe(0.93);
  });

  it("gives several workers a core each, but no more cores than the machine has", () => {
    const cpuSeconds = { workers: 6, web: 0, postgres: 0, kafka: 0 };
    const two = computeCpuBudget({
      events: 100_000,
      cores: 2,
      workerCount: 2,
      machineBusyShare: null,
      cpuSeconds,
    });
    expect(two!.workersCeiling).toBeCloseTo(2e6 / 60, 6);
    const four = computeCpuBudget({
      events: 100_000,
      cores: 2,
      workerCount: 4,
      machineBusyShare: null,
      cpuSeconds,
    });
    expect(four!.workersCeiling).toBeCloseTo(2e6 / 60, 6);
  });

  it("has no budget without events, or without the workers' CPU", () => {
    const idle = { workers: 0, web: 1, postgres: 1, kafka: 1 };
    expect(
      computeCpuBudget({ events: 10, cores: 2, workerCount: 1, machineBusyShare: null, cpuSeconds: idle }),
    ).toBeNull();
    const cpuSeconds = { workers: 1, web: 1, postgres: 1, kafka: 1 };
    expect(
      computeCpuBudget({ events: 0, cores: 2, workerCount: 1, machineBusyShare: null, cpuSeconds }),
    ).toBeNull();
  });
});
