/** Lengths of time in epoch milliseconds, for the minute bars every KPI is built from. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** Whether `ts` (epoch ms) is the start of a whole minute, as a bar's `ts` must be. */
export function isMinuteAligned(ts: number): boolean {
  return ts % MINUTE_MS === 0;
}

/** The start of the minute that contains `ts` (epoch ms): the `ts` of the bar that instant belongs to. */
export function floorToMinute(ts: number): number {
  return Math.floor(ts / MINUTE_MS) * MINUTE_MS;
}
