import type { ServerCpu } from "./process-usage";

/**
 * When the full benchmark's warm-up stops (`--warmup=auto`, its default). A broker the benchmark has
 * just started runs its request paths interpreted until its JIT has compiled them, and one warm-up
 * round was not always enough. On 2026-12-05, after four starts of the broker, its CPU per event in the
 * drains of consecutive rounds (a drain and 20 s at 2,000/s) read 8, 6, 3, 4, 3 µs; 18, 18, then 10
 * after the first 20 s at 2,000/s; 20, 11, 2, 3, 3 µs with its JIT compiler threads taking 38, 41, 14,
 * 35, 19% of its CPU in those rounds; and 10, 12, 6, 3, 3 µs with 43, 43, 16, 28, 31%. A flat figure
 * can still be a cold one (18, 18; 10, 12), and the compilers keep a share of up to a third in rounds
 * after the broker is warm (each run brings new topics and groups), so a round counts as settled when
 * the broker's CPU per event in the drain fell by less than WARMUP_SETTLED_DROP from the round
 * before's and its compilers took less than WARMUP_JIT_SHARE of its CPU in the round. A scored drain
 * on a half-warm broker paid it 6-15 µs an event more than on a warm one, up to a quarter of the CPU
 * the four processes spend on an event.
 */

/** A drain whose broker CPU per event fell by less than this fraction from the previous round's: flat. */
export const WARMUP_SETTLED_DROP = 0.15;
/** Past this share of the broker's CPU in a round, its JIT compilers are still busy: warming up. */
export const WARMUP_JIT_SHARE = 0.35;
/** Two rounds at least: the first drain has nothing to be compared with. */
export const WARMUP_MIN_ROUNDS = 2;
/** About a minute each: the warm-up stops here even if the broker is still warming up. */
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
  const rounds = Number(arg);
  if (arg === "" || !Number.isInteger(rounds) || rounds < 0)
    throw new Error(`--warmup takes a number of rounds (0 or more) or "auto", not "${arg}"`);
  return rounds;
}

/** Whether the last round leaves the broker warm (see above); false for the first round. */
function isSettled(rounds: readonly WarmupRound[]): boolean {
  const last = rounds[rounds.length - 1];
  const previous = rounds[rounds.length - 2];
  if (!last || !previous) return false;
  const isFlat = last.brokerMicrosPerEvent >= previous.brokerMicrosPerEvent * (1 - WARMUP_SETTLED_DROP);
  return isFlat && last.jitShare < WARMUP_JIT_SHARE;
}

/** Whether the warm-up runs another round after `rounds` (in order). */
export function needsAnotherWarmupRound(rounds: readonly WarmupRound[]): boolean {
  if (rounds.length < WARMUP_MIN_ROUNDS) return true;
  return rounds.length < WARMUP_MAX_ROUNDS && !isSettled(rounds);
}

/**
 * One line on the warm-up rounds that ran (a failed drain ends them): the broker's CPU per event in each
 * round's drain and its compilers' share, and why they stopped.
 */
export function describeWarmupRounds(rounds: readonly WarmupRound[]): string {
  const figures =
    rounds
      .map((r) => `${Math.round(r.brokerMicrosPerEvent)} µs (JIT ${Math.round(r.jitShare * 100)}%)`)
      .join(", ") || "none";
  const why = needsAnotherWarmupRound(rounds)
    ? "a drain failed"
    : isSettled(rounds)
      ? "settled"
      : `still warming up after ${WARMUP_MAX_ROUNDS} rounds`;
  return `warm-up: the broker's CPU per event in each round's drain, and its JIT compilers' share of its CPU in the round: ${figures} (${why})`;
}
