import { collectDefaultMetrics, Registry } from "prom-client";

export type MetricsService = "ingest" | "stream" | "web";

/**
 * Sub-second buckets (seconds) for the latencies of the pipeline: a produce request, a Yahoo request,
 * a batch, an event from its producer to PostgreSQL or to the browsers. Dense up to 3 s, where the
 * latency targets lie (50 ms, 200 ms, 300 ms, 1 s), so that quantiles interpolated from the buckets
 * (histogram_quantile, `npm run bench stream`) are off by tens of milliseconds at most; the tail up to
 * 60 s catches catch-up bursts and outages without a bucket per second.
 */
export const LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 5, 10,
  30, 60,
] as const;

/**
 * The one registry of a process: Node's default process metrics (CPU, memory, event-loop lag, GC,
 * handles) plus the process's own tickstream_* series, every series labelled with `service`. A
 * registry per process rather than prom-client's global one, so that tests can run several workers
 * in one process and each still exposes only its own figures.
 */
export function createMetricsRegistry(
  service: MetricsService,
  options: { withProcessMetrics?: boolean } = {},
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.withProcessMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
