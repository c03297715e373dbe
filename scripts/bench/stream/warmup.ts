import { parseCountFlag } from "./count-flag";
import type { ServerCpu } from "./process-usage";

/**
 * When the full benchmark's warm-up stops (`--warmup=auto`, its default). A broker the benchmark has
 * just started runs its request paths interpreted until its JIT has compiled them, and one warm-up round
 * was not always enough. On 2026-12-05, after seven starts of the broker, its CPU per event in
 * successive drains read 8, 6, 3, 4, 3 µs; 18, 18, then 10 (two drains back to back, then one after
 * 20 s at 2,000/s); 13, 13, then 13 and 5 (the same); and, in rounds of a drain and 20 s at 2,000/s,
 * 20, 11, 2, 3, 3 with its JIT compiler threads taking 38, 41, 14, 35, 19% of its CPU in those rounds;
 * 10, 12, 6, 3, 3 with 43, 43, 16, 28, 31%; 21, 8, 8 with 36, 41, 16%, then 3-6 µs in the drains
 * after; and 11, 5, 4, 3, 3. Per thread, the broker's extra CPU while cold went to its C2 compiler and
 * to its request threads running code not compiled yet, not to its collector. A flat figure can still
 * be a cold one (18, 18; 8, 8), and the compilers keep a share of up to 35% once the broker is warm
 * (each run brings new topics and groups). So the warm-up stops when the last WARMUP_MIN_ROUNDS drains
 * agree (each at most WARMUP_SETTLED_DROP below the one before, or above it) and the compilers took
 * less than WARMUP_JIT_SHARE of the broker's CPU in the last round: after 3-4 rounds on a broker that
 * was warm already (4, 3, 3, 3 µs on one), after 5 (WARMUP_MAX_ROUNDS) on each of the four starts above
 * measured in such rounds. A scored drain on a half-warm broker paid it 5-20 µs an event more than on a
 * warm one, up to a third of the CPU the four processes spend on an event.
 */

/** A drain whose broker CPU per event fell by at most this fraction from the previous round's: flat. */
export const WARMUP_SETTLED_DROP = 0.15;
/** At or past this share of the broker's CPU in a round, its JIT compilers are still busy: warming up. */
export const WARMUP_JIT_SHARE = 0.35;
/** Three rounds at least: three drains to agree. */
export const WARMUP_MIN_ROUNDS = 3;
/** Under a minute each here: the warm-up stops here even if the broker is still warming up. */
export const WARMUP_MAX_ROUNDS = 5;

/** What a warm-up round says about the broker. */
export type WarmupRound = {
  /** The broker's CPU per event in the round's drain, µs. */
  brokerMicrosPerEvent: number;
  /** The share of the broker's CPU in the round (its drain and its steady part) that its JIT compilers took. */
  jitShare: number;
};

/**
 * A round's figures from the broker's CPU in its drain of `events` events and in its steady part
 * (null when that part failed: the drain's alone).
 */
export function toWarmupRound(drain: ServerCpu, events: number, steady: ServerCpu | null): WarmupRound {
  const kafka = drain.kafka + (steady?.kafka ?? 0);
  const jit = drain.kafkaJit + (steady?.kafkaJit ?? 0);
  return {
    brokerMicrosPerEvent: (drain.kafka * 1e6) / events,
    jitShare: kafka > 0 ? jit / kafka : 0,
  };
}

/** How many warm-up rounds `--warmup=` asks for: a number, or "auto" (the default of the full run). */
export type WarmupSetting = number | "auto";

/**
 * Reads `--warmup=` (undefined: not given). The full run warms up until the broker settles unless told
 * otherwise; the quick run, a smoke run, takes one round.
 */
export function parseWarmupSetting(arg: string | undefined, isQuick: boolean): WarmupSetting {
  if (arg === undefined) return isQuick ? 1 : "auto";
  if (arg === "auto") return "auto";
  return parseCountFlag("--warmup", arg, 0, 'a number of rounds (0 or more) or "auto"');
}

/** Whether drain `later`'s broker CPU per event fell by at most WARMUP_SETTLED_DROP from `earlier`'s. */
const isFlat = (earlier: WarmupRound, later: WarmupRound) =>
  later.brokerMicrosPerEvent >= earlier.brokerMicrosPerEvent * (1 - WARMUP_SETTLED_DROP);

/** Whether the last rounds leave the broker warm (see above): false before WARMUP_MIN_ROUNDS rounds. */
function isSettled(rounds: readonly WarmupRound[]): boolean {
  const lastRounds = rounds.slice(-WARMUP_MIN_ROUNDS);
  const last = lastRounds.at(-1);
  if (lastRounds.length < WARMUP_MIN_ROUNDS || !last || last.jitShare >= WARMUP_JIT_SHARE) return false;
  return lastRounds.slice(1).every((round, i) => {
    const before = lastRounds[i];
    return before !== undefined && isFlat(before, round);
  });
}

/** Whether the warm-up runs another round after `rounds` (in order). */
export function needsAnotherWarmupRound(rounds: readonly WarmupRound[]): boolean {
  if (rounds.length < WARMUP_MIN_ROUNDS) return true;
  return rounds.length < WARMUP_MAX_ROUNDS && !isSettled(rounds);
}

/**
 * One line on the warm-up rounds whose drains went through: the broker's CPU per event in each one's
 * drain and its compilers' share, and why they stopped (with `--warmup=auto`, a failed drain ends them;
 * with a fixed number, it is left out and the next round runs).
 */
export function describeWarmupRounds(rounds: readonly WarmupRound[], setting: WarmupSetting): string {
  const figures =
    rounds
      .map((r) => `${Math.round(r.brokerMicrosPerEvent)} µs (JIT ${Math.round(r.jitShare * 100)}%)`)
      .join(", ") || "none";
  const why =
    setting !== "auto"
      ? `${setting} rounds asked for, ${rounds.length} drained`
      : needsAnotherWarmupRound(rounds)
        ? "a drain failed"
        : isSettled(rounds)
          ? "settled"
          : `still warming up after ${WARMUP_MAX_ROUNDS} rounds`;
  return `warm-up: the broker's CPU per event in each round's drain, and its JIT compilers' share of its CPU in the round: ${figures} (${why})`;
}
