import { compareBars, type BarComparison } from "./compare-rows";
import { getSymbolName, listExpectedBars, type BenchBar, type DataSet } from "./data-set";
import type { Product } from "./product";

const CHUNK = 500;

/**
 * Reads fact_prices back, a few hundred symbols at a time, and compares it with the latest snapshot of
 * every bar among the `sent` events produced.
 */
export async function verifyStoredBars(
  product: Product,
  dataSet: DataSet,
  sent: number,
): Promise<BarComparison> {
  const total: BarComparison = {
    expected: 0,
    stored: 0,
    missing: 0,
    unexpected: 0,
    mismatched: 0,
    differences: 0,
    examples: [],
  };
  for (let from = 0; from < dataSet.symbols; from += CHUNK) {
    const to = Math.min(dataSet.symbols, from + CHUNK);
    const symbols = Array.from({ length: to - from }, (_, i) => getSymbolName(from + i));
    const { rows } = await product.db.$client.query<BenchBar>(
      `select symbol, (extract(epoch from ts) * 1000)::float8 as ts, open, high, low, close, volume::float8 as volume
       from fact_prices where symbol = any($1)`,
      [symbols],
    );
    const part = compareBars(listExpectedBars(dataSet, sent, from, to), rows);
    for (const key of ["expected", "stored", "missing", "unexpected", "mismatched", "differences"] as const)
      total[key] += part[key];
    total.examples.push(...part.examples.slice(0, 5 - total.examples.length));
  }
  // Rows of symbols outside the data set (none should exist) are differences too.
  const { rows } = await product.db.$client.query<{ n: string }>(
    "select count(*) as n from fact_prices where not (symbol = any($1))",
    [Array.from({ length: dataSet.symbols }, (_, i) => getSymbolName(i))],
  );
  const strangers = Number(rows[0]?.n ?? 0);
  total.unexpected += strangers;
  total.differences += strangers;
  total.stored += strangers;
  return total;
}
