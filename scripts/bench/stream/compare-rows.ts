import { getBarKey, type BenchBar } from "./data-set";

/** How the stored bars differ from the expected ones; `differences` 0 means identical sets. */
export type BarComparison = {
  expected: number;
  stored: number;
  missing: number;
  unexpected: number;
  mismatched: number;
  differences: number;
  /** A few differences, for the report. */
  examples: string[];
};

const FIELDS = ["open", "high", "low", "close", "volume"] as const;

/**
 * Compares fact_prices as read back (one row per symbol and minute) with each bar's latest snapshot as
 * produced: a bar missing, one nobody produced, or any OHLCV value not exactly equal is a difference.
 */
export function compareBars(
  expected: ReadonlyMap<string, BenchBar>,
  stored: readonly BenchBar[],
): BarComparison {
  const seen = new Set<string>();
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 5) examples.push(text);
  };
  let unexpected = 0;
  let mismatched = 0;
  for (const row of stored) {
    const key = getBarKey(row);
    const want = expected.get(key);
    if (!want || seen.has(key)) {
      unexpected++;
      note(`${key}: ${want ? "stored twice" : "never produced"}`);
      continue;
    }
    seen.add(key);
    const wrong = FIELDS.filter((f) => row[f] !== want[f]);
    if (wrong.length > 0) {
      mismatched++;
      note(`${key}: ${wrong.map((f) => `${f} ${row[f]} ≠ ${want[f]}`).join(", ")}`);
    }
  }
  const missing = expected.size - seen.size;
  if (missing > 0)
    for (const key of expected.keys())
      if (!seen.has(key)) {
        note(`${key}: missing`);
        if (examples.length >= 5) break;
      }
  return {
    expected: expected.size,
    stored: stored.length,
    missing,
    unexpected,
    mismatched,
    differences: missing + unexpected + mismatched,
    examples,
  };
}
