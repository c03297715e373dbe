import { describe, expect, it } from "vitest";

import {
  describeWarmupRounds,
  needsAnotherWarmupRound,
  parseWarmupSetting,
  WARMUP_MAX_ROUNDS,
  WARMUP_MIN_ROUNDS,
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

describe("needsAnotherWarmupRound", () => {
  it("runs at least WARMUP_MIN_ROUNDS rounds", () => {
    expect(needsAnotherWarmupRound([])).toBe(true);
    expect(needsAnotherWarmupRound(Array.from({ length: WARMUP_MIN_ROUNDS - 1 }, () => 4))).toBe(true);
    expect(needsAnotherWarmupRound(Array.from({ length: WARMUP_MIN_ROUNDS }, () => 4))).toBe(false);
  });

  it("runs again while the broker's CPU per event still falls by more than WARMUP_SETTLED_DROP", () => {
    // The broker measured on 2026-12-05, round by round after its start.
    const seen = [8, 6, 3, 4];
    const decisions = seen.map((_, i) => needsAnotherWarmupRound(seen.slice(0, i + 1)));
    expect(decisions).toEqual([true, true, true, false]);
    const justAbove = 10 * (1 - WARMUP_SETTLED_DROP) + 0.01;
    expect(needsAnotherWarmupRound([10, justAbove])).toBe(false);
    expect(needsAnotherWarmupRound([10, 10 * (1 - WARMUP_SETTLED_DROP) - 0.01])).toBe(true);
  });

  it("stops when the broker got slower (a noisy machine, not a cold JIT)", () => {
    expect(needsAnotherWarmupRound([17, 19])).toBe(false);
  });

  it("stops after WARMUP_MAX_ROUNDS rounds even if the broker still gets faster", () => {
    const halving = Array.from({ length: WARMUP_MAX_ROUNDS }, (_, i) => 64 / 2 ** i);
    expect(needsAnotherWarmupRound(halving.slice(0, -1))).toBe(true);
    expect(needsAnotherWarmupRound(halving)).toBe(false);
  });
});

describe("describeWarmupRounds", () => {
  it("gives the broker's CPU per event in each round's drain and why the rounds stopped", () => {
    expect(describeWarmupRounds([10.4, 9.6])).toBe(
      "warm-up: the broker's CPU per event in each round's drain: 10 µs, 10 µs (settled)",
    );
    const halving = Array.from({ length: WARMUP_MAX_ROUNDS }, (_, i) => 64 / 2 ** i);
    expect(describeWarmupRounds(halving)).toMatch(
      new RegExp(`: 64 µs, 32 µs, .* \\(still falling after ${WARMUP_MAX_ROUNDS} rounds\\)$`),
    );
    expect(describeWarmupRounds([12])).toMatch(/: 12 µs \(a drain failed\)$/);
    expect(describeWarmupRounds([])).toMatch(/: none \(a drain failed\)$/);
  });
});
