import { describe, expect, it } from "vitest";

import {
  describeWarmupRounds,
  needsAnotherWarmupRound,
  parseWarmupSetting,
  toWarmupRound,
  WARMUP_JIT_SHARE,
  WARMUP_MAX_ROUNDS,
  WARMUP_MIN_ROUNDS,
  WARMUP_SETTLED_DROP,
  type WarmupRound,
} from "./warmup";

/** Rounds from [µs per event, JIT share] pairs. */
const rounds = (...figures: [number, number][]): WarmupRound[] =>
  figures.map(([brokerMicrosPerEvent, jitShare]) => ({ brokerMicrosPerEvent, jitShare }));

/** The decision after each of `seen`'s rounds. */
const decisions = (seen: WarmupRound[]) => seen.map((_, i) => needsAnotherWarmupRound(seen.slice(0, i + 1)));

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

describe("toWarmupRound", () => {
  it("takes the drain's CPU per event and the compilers' share over the drain and the steady part", () => {
    const drain = { postgres: 1.5, kafka: 2.2, kafkaJit: 0.8 };
    const steady = { postgres: 2.0, kafka: 3.6, kafkaJit: 1.4 };
    const round = toWarmupRound(drain, 110_000, steady);
    expect(round.brokerMicrosPerEvent).toBeCloseTo(20, 6);
    expect(round.jitShare).toBeCloseTo(2.2 / 5.8, 9);
    expect(toWarmupRound(drain, 110_000, null).jitShare).toBeCloseTo(0.8 / 2.2, 9);
    expect(toWarmupRound({ postgres: 0, kafka: 0, kafkaJit: 0 }, 110_000, null).jitShare).toBe(0);
  });
});

describe("needsAnotherWarmupRound", () => {
  it("runs at least WARMUP_MIN_ROUNDS rounds", () => {
    expect(needsAnotherWarmupRound([])).toBe(true);
    const warm = Array.from({ length: WARMUP_MIN_ROUNDS }, () => ({ brokerMicrosPerEvent: 3, jitShare: 0 }));
    expect(needsAnotherWarmupRound(warm.slice(0, -1))).toBe(true);
    expect(needsAnotherWarmupRound(warm)).toBe(false);
  });

  it("stops once three drains agree within WARMUP_SETTLED_DROP (or got slower) and the compilers are quiet", () => {
    const edge = 10 * (1 - WARMUP_SETTLED_DROP);
    expect(needsAnotherWarmupRound(rounds([10, 0], [10, 0], [edge + 0.01, 0]))).toBe(false);
    expect(needsAnotherWarmupRound(rounds([10, 0], [10, 0], [edge - 0.01, 0]))).toBe(true);
    // The drain before the last one fell: the last two agreeing is not enough.
    expect(needsAnotherWarmupRound(rounds([21, 0.36], [8, 0.41], [8, 0.16]))).toBe(true);
    // Slower than the round before is flat too (a noisy machine, not a cold JIT).
    expect(needsAnotherWarmupRound(rounds([3, 0.1], [4, 0.1], [4, 0.1]))).toBe(false);
  });

  it("runs again while the JIT compilers take WARMUP_JIT_SHARE of the broker's CPU or more, however flat", () => {
    expect(needsAnotherWarmupRound(rounds([18, 0.4], [18, 0.4], [18, WARMUP_JIT_SHARE]))).toBe(true);
    expect(needsAnotherWarmupRound(rounds([18, 0.4], [18, 0.4], [18, WARMUP_JIT_SHARE - 0.01]))).toBe(false);
  });

  it("follows the brokers measured on 2026-12-05, round by round after their start", () => {
    const seen = rounds([20, 0.38], [11, 0.41], [2, 0.14], [3, 0.35], [3, 0.19]);
    expect(decisions(seen)).toEqual([true, true, true, true, false]);
    expect(describeWarmupRounds(seen, "auto")).toMatch(
      /: 20 µs \(JIT 38%\), 11 µs \(JIT 41%\), .*3 µs \(JIT 19%\) \(settled\)$/,
    );
    // Cold and flat (10, 12), falling, then warm: each start measured in such rounds ran the five.
    const another = rounds([10, 0.43], [12, 0.43], [6, 0.16], [3, 0.28], [3, 0.31]);
    expect(decisions(another)).toEqual([true, true, true, true, false]);
    expect(describeWarmupRounds(another, "auto")).toMatch(
      new RegExp(`\\(still warming up after ${WARMUP_MAX_ROUNDS} rounds\\)$`),
    );
    // A broker warm already (09:23): 4, 3, 3, 3 µs, settled after four rounds.
    expect(decisions(rounds([4, 0.34], [3, 0.1], [3, 0.12], [3, 0.04]))).toEqual([true, true, true, false]);
    // A broker warm from the start: three rounds.
    expect(decisions(rounds([3, 0.3], [3, 0.2], [3, 0.3]))).toEqual([true, true, false]);
  });

  it("stops after WARMUP_MAX_ROUNDS rounds even if the broker is still warming up", () => {
    const halving = rounds(
      ...Array.from({ length: WARMUP_MAX_ROUNDS }, (_, i): [number, number] => [64 / 2 ** i, 0.5]),
    );
    expect(needsAnotherWarmupRound(halving.slice(0, -1))).toBe(true);
    expect(needsAnotherWarmupRound(halving)).toBe(false);
    expect(describeWarmupRounds(halving, "auto")).toMatch(
      new RegExp(`: 64 µs \\(JIT 50%\\), 32 µs .* \\(still warming up after ${WARMUP_MAX_ROUNDS} rounds\\)$`),
    );
  });

  it("says when a failed drain ended the warm-up", () => {
    expect(describeWarmupRounds(rounds([12, 0.3]), "auto")).toMatch(
      /: 12 µs \(JIT 30%\) \(a drain failed\)$/,
    );
    expect(describeWarmupRounds([], "auto")).toMatch(/: none \(a drain failed\)$/);
  });

  it("says how many rounds a fixed --warmup=N asked for and how many drained", () => {
    expect(describeWarmupRounds(rounds([12, 0.3], [9, 0.2]), 3)).toMatch(
      /: 12 µs \(JIT 30%\), 9 µs \(JIT 20%\) \(3 rounds asked for, 2 drained\)$/,
    );
  });
});
