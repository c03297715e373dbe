import { describe, expect, it } from "vitest";

import {
  describeWarmupDrains,
  needsAnotherWarmupDrain,
  parseWarmupSetting,
  WARMUP_MAX_DRAINS,
  WARMUP_MIN_DRAINS,
  WARMUP_SETTLED_DROP,
} from "./warmup";

describe("parseWarmupSetting", () => {
  it("warms the full run up until the broker settles, the quick run one round, unless told", () => {
    expect(parseWarmupSetting(undefined, false)).toBe("auto");
    expect(parseWarmupSetting(undefined, true)).toBe(1);
    expect(parseWarmupSetting("auto", true)).toBe("auto");
    expect(parseWarmupSetting("0", false)).toBe(0);
    expect(parseWarmupSetting("3", true)).toBe(3);
  });

  it.each(["", "-1", "1.5", "two", "Auto"])("refuses --warmup=%j", (arg) => {
    expect(() => parseWarmupSetting(arg, false)).toThrow(/--warmup takes a number of rounds/);
  });
});

describe("needsAnotherWarmupDrain", () => {
  it("drains at least WARMUP_MIN_DRAINS times", () => {
    expect(needsAnotherWarmupDrain([])).toBe(true);
    expect(needsAnotherWarmupDrain(Array.from({ length: WARMUP_MIN_DRAINS - 1 }, () => 4))).toBe(true);
    expect(needsAnotherWarmupDrain(Array.from({ length: WARMUP_MIN_DRAINS }, () => 4))).toBe(false);
  });

  it("drains again while the broker's CPU per event still falls by more than WARMUP_SETTLED_DROP", () => {
    // The broker measured on 2026-12-04, drain by drain after its start.
    const seen = [10, 7, 5, 4, 4];
    const decisions = seen.map((_, i) => needsAnotherWarmupDrain(seen.slice(0, i + 1)));
    expect(decisions).toEqual([true, true, true, true, false]);
    const justAbove = 10 * (1 - WARMUP_SETTLED_DROP) + 0.01;
    expect(needsAnotherWarmupDrain([10, justAbove])).toBe(false);
    expect(needsAnotherWarmupDrain([10, 10 * (1 - WARMUP_SETTLED_DROP) - 0.01])).toBe(true);
  });

  it("stops when the broker got slower (a noisy machine, not a cold JIT)", () => {
    expect(needsAnotherWarmupDrain([17, 19])).toBe(false);
  });

  it("stops after WARMUP_MAX_DRAINS drains even if the broker still gets faster", () => {
    const halving = Array.from({ length: WARMUP_MAX_DRAINS }, (_, i) => 64 / 2 ** i);
    expect(needsAnotherWarmupDrain(halving.slice(0, -1))).toBe(true);
    expect(needsAnotherWarmupDrain(halving)).toBe(false);
  });
});

describe("describeWarmupDrains", () => {
  it("gives each drain's broker CPU per event and why the drains stopped", () => {
    expect(describeWarmupDrains([10.4, 9.6])).toBe(
      "warm-up: the broker's CPU per event, drain by drain: 10 µs, 10 µs (settled)",
    );
    const halving = Array.from({ length: WARMUP_MAX_DRAINS }, (_, i) => 64 / 2 ** i);
    expect(describeWarmupDrains(halving)).toMatch(
      new RegExp(`: 64 µs, 32 µs, .* \\(still falling after ${WARMUP_MAX_DRAINS} drains\\)$`),
    );
    expect(describeWarmupDrains([12])).toMatch(/: 12 µs \(a drain failed\)$/);
    expect(describeWarmupDrains([])).toMatch(/: none \(a drain failed\)$/);
  });
});
