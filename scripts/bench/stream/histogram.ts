/** One cumulative bucket of a Prometheus histogram: how many observations were ≤ `le` (seconds). */
export type HistogramBucket = { le: number; count: number };

const BUCKET_LINE = /^(\w+)_bucket\{([^}]*)\}\s+(\S+)/;

/**
 * The cumulative buckets of histogram `name` in a Prometheus text exposition, summed over every label
 * set (each source, each scraped worker), sorted by bound with +Inf last. Empty when the series is absent.
 */
export function parseHistogram(text: string, name: string): HistogramBucket[] {
  const byBound = new Map<number, number>();
  for (const line of text.split("\n")) {
    const match = BUCKET_LINE.exec(line);
    if (!match || match[1] !== name) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(match[2]!)?.[1];
    if (le === undefined) continue;
    const bound = le === "+Inf" ? Infinity : Number(le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + Number(match[3]));
  }
  return [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** Sums the buckets of several scrapes (one per worker); bounds must match, as they do for one build. */
export function addBuckets(parts: readonly HistogramBucket[][]): HistogramBucket[] {
  const byBound = new Map<number, number>();
  for (const part of parts) for (const b of part) byBound.set(b.le, (byBound.get(b.le) ?? 0) + b.count);
  return [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** The observations made between two scrapes of the same histogram (a bucket absent before counts 0). */
export function subtractBuckets(
  after: readonly HistogramBucket[],
  before: readonly HistogramBucket[],
): HistogramBucket[] {
  const earlier = new Map(before.map((b) => [b.le, b.count]));
  return after.map((b) => ({ le: b.le, count: b.count - (earlier.get(b.le) ?? 0) }));
}

/**
 * The q-quantile (0 < q ≤ 1) of cumulative buckets as Prometheus's histogram_quantile computes it:
 * linear interpolation inside the bucket that holds the rank, from 0 for the first bucket. A rank in
 * the +Inf bucket answers the highest finite bound. Null when there are no observations.
 */
export function computeHistogramQuantile(q: number, buckets: readonly HistogramBucket[]): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lower;
      if (bucket.count === below) return bucket.le;
      return lower + ((bucket.le - lower) * (rank - below)) / (bucket.count - below);
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
}

/** The bound of the highest bucket that gained observations: the maximum is at most this. */
export function getHistogramMaxBound(buckets: readonly HistogramBucket[]): number | null {
  let previous = 0;
  let bound: number | null = null;
  let lastFinite = 0;
  for (const bucket of buckets) {
    if (bucket.count > previous) bound = bucket.le === Infinity ? lastFinite : bucket.le;
    previous = bucket.count;
    if (bucket.le !== Infinity) lastFinite = bucket.le;
  }
  return bound;
}
