/**
 * One step of an exponential moving average with smoothing α = 2 / (period + 1).
 *
 * The series is seeded with the simple average of its first `period` values: pass `previous = null`
 * and the seed (`seedSma`) for the bar at index `period − 1`; before that the EMA is null.
 */
export function computeEmaStep(
  previous: number | null,
  value: number,
  period: number,
  seedSma: number | null,
): number | null {
  if (previous === null) return seedSma;
  const alpha = 2 / (period + 1);
  return previous + alpha * (value - previous);
}
