/**
 * Whether a bar starting at `ts` lies in the future at `now`: it starts more than `toleranceMs` after
 * the clock. The current minute's bar (start ≤ now) is never a future bar; the tolerance absorbs clock
 * skew between the producing host and this one (a source whose clock runs a little ahead). Every bar
 * the pipeline stores passes this rule, so that no time shown or computed runs ahead of the clock.
 */
export function isFutureBar(ts: number, now: number, toleranceMs: number): boolean {
  return ts - now > toleranceMs;
}
