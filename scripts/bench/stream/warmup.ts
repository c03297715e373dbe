/**
 * When the full benchmark's warm-up stops (`--warmup=auto`, its default). A broker the benchmark has
 * just started runs its request paths interpreted until its JIT has compiled them, and one warm-up
 * round was not always enough. Measured on 2026-12-04 (per-thread CPU of a broker started just before,
 * consecutive 1,000-symbol drains): the broker took 10, 7, 5, 4, 4 µs per event, its C1 and C2
 * compiler threads 117, 79, 39, 25, 21 jiffies a drain; on 2026-12-05, 8, 6, 3, 4, 3 µs in rounds of
 * a drain and 20 s at 2,000/s, and after another start 18 and 18 µs in two drains back to back, then
 * 10 µs in the drain after 20 s at 2,000/s: the steady rate's many small requests warm paths a drain
 * does not. A scored drain on a half-warm broker paid it 6-15 µs an event more than a warm one, up to a
 * quarter of the CPU the four processes spend on an event. So the warm-up runs rounds of a drain and
 * the 20 s while the broker's CPU per event in the drain still falls by more than WARMUP_SETTLED_DROP,
 * between WARMUP_MIN_ROUNDS and WARMUP_MAX_ROUNDS rounds.
 */

/** A drain whose broker CPU per event fell by less than this fraction from the previous round's: warm. */
export const WARMUP_SETTLED_DROP = 0.15;
/** Two rounds at least: the first drain has nothing to be compared with. */
export const WARMUP_MIN_ROUNDS = 2;
/** About 75 s each: the warm-up stops here even if the broker is still getting faster. */
export const WARMUP_MAX_ROUNDS = 4;

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

/** Whether the last drain's broker CPU per event fell by more than WARMUP_SETTLED_DROP from the round before's. */
function isStillFalling(brokerMicrosPerEvent: readonly number[]): boolean {
  const count = brokerMicrosPerEvent.length;
  if (count < 2) return false;
  return brokerMicrosPerEvent[count - 1]! < brokerMicrosPerEvent[count - 2]! * (1 - WARMUP_SETTLED_DROP);
}

/**
 * Whether the warm-up runs another round, given the broker's CPU per event (µs) in the drain of each
 * round so far, in order.
 */
export function needsAnotherWarmupRound(brokerMicrosPerEvent: readonly number[]): boolean {
  const count = brokerMicrosPerEvent.length;
  if (count < WARMUP_MIN_ROUNDS) return true;
  return count < WARMUP_MAX_ROUNDS && isStillFalling(brokerMicrosPerEvent);
}

/**
 * One line on the warm-up rounds that ran (a failed drain ends them): the broker's CPU per event in each
 * round's drain, and why they stopped.
 */
export function describeWarmupRounds(brokerMicrosPerEvent: readonly number[]): string {
  const figures = brokerMicrosPerEvent.map((x) => `${Math.round(x)} µs`).join(", ") || "none";
  const why = needsAnotherWarmupRound(brokerMicrosPerEvent)
    ? "a drain failed"
    : isStillFalling(brokerMicrosPerEvent)
      ? `still falling after ${WARMUP_MAX_ROUNDS} rounds`
      : "settled";
  return `warm-up: the broker's CPU per event in each round's drain: ${figures} (${why})`;
}
