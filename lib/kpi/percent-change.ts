/**
 * (to − from) / from × 100. Returns null when there is no base to compare with (`from` null, zero,
 * or not finite), never Infinity or NaN.
 */
export function computePercentChange(from: number | null | undefined, to: number): number | null {
  if (from === null || from === undefined || from === 0 || !Number.isFinite(from) || !Number.isFinite(to)) {
    return null;
  }
  return ((to - from) / from) * 100;
}
