import type { LatencySummary } from "@/lib/events/ops-snapshot";
import { readProducedAtHeaders } from "@/lib/events/produced-at-headers";
import { computePercentile } from "@/lib/kpi/pipeline-health";

/** Most observations kept: bounds memory and the per-sample sort when updates pour in. */
const MAX_OBSERVATIONS = 50_000;

type Observation = { at: number; publishedMs: number; producedMs: number | null };

/**
 * End-to-end latency as this web process sees it, over a sliding window: from the stream worker's
 * publish (and, when the header is there, from the tick's production) to the moment the update
 * reached this process for relaying to the browsers.
 */
export function createLatencyTracker(windowMs: number) {
  let observations: Observation[] = [];

  const summarize = (values: number[]): LatencySummary => ({
    p50Ms: computePercentile(values, 50),
    p99Ms: computePercentile(values, 99),
    count: values.length,
  });

  return {
    windowMs,
    observe(update: { publishedAt: number; headers: Record<string, string>; receivedAt: number }): void {
      // The oldest tick behind the message (all the symbols of a symbols message): the latency its slowest
      // event saw (headers absent from workers older than the headers: then only "published → relayed"
      // has figures).
      const produced = readProducedAtHeaders(update.headers)?.oldest ?? NaN;
      observations.push({
        at: update.receivedAt,
        // Clocks of two hosts: a negative difference is skew, shown as zero rather than dropped.
        publishedMs: Math.max(0, update.receivedAt - update.publishedAt),
        producedMs:
          Number.isFinite(produced) && produced > 0 ? Math.max(0, update.receivedAt - produced) : null,
      });
      if (observations.length > MAX_OBSERVATIONS) observations = observations.slice(-MAX_OBSERVATIONS / 2);
    },
    summarize(now: number) {
      const from = now - windowMs;
      observations = observations.filter((o) => o.at >= from);
      return {
        windowMs,
        publishedToRelayed: summarize(observations.map((o) => o.publishedMs)),
        producedToRelayed: summarize(
          observations.flatMap((o) => (o.producedMs === null ? [] : [o.producedMs])),
        ),
      };
    },
  };
}
