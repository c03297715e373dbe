/**
 * When the full benchmark's warm-up stops draining (`--warmup=auto`, its default): a broker the
 * benchmark has just started runs its request paths interpreted until its JIT has compiled them, and
 * one warm-up drain was not always enough. Measured on 2026-12-04 (per-thread CPU of a broker started
 * just before, consecutive 1,000-symbol drains): the broker took 10, 7, 5, 4, 4 µs per event, its C1
 * and C2 compiler threads 117, 79, 39, 25, 21 jiffies a drain; after a single warm-up drain, the scored
 * drain still paid the broker 6-13 µs an event more than a warm one, an eighth to a quarter of the
 * CPU the four processes spend on an event. So the warm-up drains again while the broker's CPU per
 * event still falls by more than WARMUP_SETTLED_DROP, between WARMUP_MIN_DRAINS and WARMUP_MAX_DRAINS
 * drains.
 */

/** A drain whose broker CPU per event fell by less than this fraction from the previous one's: warm. */
export const WARMUP_SETTLED_DROP = 0.15;
/** Two drains at least: the first has nothing to be compared with. */
export const WARMUP_MIN_DRAINS = 2;
/** About 70 s each: the warm-up stops here even if the broker is still getting faster. */
export const WARMUP_MAX_DRAINS = 5;

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

/** Whether the last drain's broker CPU per event fell by more than WARMUP_SETTLED_DROP from the one before. */
function isStillFalling(brokerMicrosPerEvent: readonly number[]): boolean {
  const count = brokerMicrosPerEvent.length;
  if (count < 2) return false;
  return brokerMicrosPerEvent[count - 1]! < brokerMicrosPerEvent[count - 2]! * (1 - WARMUP_SETTLED_DROP);
}

/**
 * Whether the warm-up drains once more, given the broker's CPU per event (µs) of the warm-up drains so
 * far, in order.
 */
export function needsAnotherWarmupDrain(brokerMicrosPerEvent: readonly number[]): boolean {
  const count = brokerMicrosPerEvent.length;
  if (count < WARMUP_MIN_DRAINS) return true;
  return count < WARMUP_MAX_DRAINS && isStillFalling(brokerMicrosPerEvent);
}

/**
 * One line on the warm-up drains that ran (a failed drain ends them): the broker's CPU per event of
 * each, and why they stopped.
 */
export function describeWarmupDrains(brokerMicrosPerEvent: readonly number[]): string {
  const figures = brokerMicrosPerEvent.map((x) => `${Math.round(x)} µs`).join(", ") || "none";
  const why = needsAnotherWarmupDrain(brokerMicrosPerEvent)
    ? "a drain failed"
    : isStillFalling(brokerMicrosPerEvent)
      ? `still falling after ${WARMUP_MAX_DRAINS} drains`
      : "settled";
  return `warm-up: the broker's CPU per event, drain by drain: ${figures} (${why})`;
}
