/**
 * Simple moving average of `values` at `index` over the last `period` values (the value at `index`
 * and the `period − 1` before it). Returns null when fewer than `period` values exist up to `index`.
 * Summed oldest-first each time (no running sum) so the result does not drift over long series.
 */
export function computeSimpleMovingAverage(
  values: readonly number[],
  index: number,
  period: number,
): number | null {
  if (period < 1 || index < period - 1 || index >= values.length) return null;
  let sum = 0;
  for (let i = index - period + 1; i <= index; i++) sum += values[i]!;
  return sum / period;
}
