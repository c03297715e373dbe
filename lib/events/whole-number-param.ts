import { z } from "zod";

/**
 * A whole-number query parameter (`?limit=20`) from `min` to `max`: every API says the same words for
 * every way it can be wrong (`limit: a whole number from 1 to 50`), whether it is no number, a fraction
 * or out of range. Chain `.default(…)` for an optional one.
 */
export function wholeNumberParam(min: number, max: number) {
  const message = `a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}
