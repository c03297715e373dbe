import { readYahooSourceMetrics } from "@/lib/events/worker-metrics";
import type { HealthReport } from "@/lib/health/check-health";

type Sample = {
  name: string;
  help: string;
  type: "gauge" | "counter";
  values: { labels?: Record<string, string>; value: number }[];
};

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function render(samples: Sample[]): string {
  const lines: string[] = [];
  for (const s of samples) {
    if (s.values.length === 0) continue;
    lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    for (const v of s.values) {
      const labels =
        v.labels && Object.keys(v.labels).length
          ? `{${Object.entries(v.labels)
              .map(([k, x]) => `${k}="${escape(x)}"`)
              .join(",")}}`
          : "";
      lines.push(`${s.name}${labels} ${Number.isFinite(v.value) ? v.value : 0}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** One unlabelled sample, or none when the figure is unknown: an absent series, never a false 0. */
const single = (value: number | undefined) => (value === undefined ? [] : [{ value }]);

/**
 * Prometheus text exposition of the pipeline: component up/down, and the counters the workers report
 * in their heartbeats (events published per source and symbol, fetch errors by kind, last success per
 * symbol, batches applied, dead letters, buffer size), plus live connections of this web instance.
 * A worker whose figures are unknown contributes no series of its own.
 */
export function formatMetrics(report: HealthReport): string {
  const up = (s: string) => (s === "ok" ? 1 : 0);
  const ingestInfo = report.workers.ingest?.info;
  const streamInfo = report.workers.stream?.info;
  const ingest = ingestInfo?.kind === "ingest" ? ingestInfo : null;
  const stream = streamInfo?.kind === "stream" ? streamInfo : null;
  const publisher = ingest?.publisher;
  const yahoo = ingest ? readYahooSourceMetrics(ingest) : null;
  const published = Object.entries(publisher?.published ?? {}).flatMap(([source, bySymbol]) =>
    Object.entries(bySymbol).map(([symbol, value]) => ({ labels: { source, symbol }, value })),
  );
  const errors = Object.entries(yahoo?.errors ?? {}).map(([kind, value]) => ({
    labels: { source: "yahoo", kind },
    value,
  }));
  const lastSuccess = Object.entries(yahoo?.lastSuccess ?? {}).map(([symbol, value]) => ({
    labels: { source: "yahoo", symbol },
    value: value / 1000,
  }));
  const sockets = report.realtime?.sockets;

  return render([
    {
      name: "tickstream_component_up",
      help: "1 when the component answers its health check",
      type: "gauge",
      values: [
        { labels: { component: "postgres" }, value: up(report.postgres.status) },
        { labels: { component: "kafka" }, value: up(report.kafka.status) },
        ...Object.entries(report.workers).map(([kind, w]) => ({
          labels: { component: `${kind}_worker` },
          value: up(w.status),
        })),
      ],
    },
    {
      name: "tickstream_worker_instances",
      help: "Running instances per worker kind",
      type: "gauge",
      values: Object.entries(report.workers).map(([kind, w]) => ({ labels: { kind }, value: w.instances })),
    },
    {
      name: "tickstream_ingest_events_published_total",
      help: "Tick events Kafka acknowledged, by source and symbol (since the worker started)",
      type: "counter",
      values: published,
    },
    {
      name: "tickstream_ingest_buffered_events",
      help: "Events held while Kafka is unavailable",
      type: "gauge",
      values: single(publisher?.buffered),
    },
    {
      name: "tickstream_ingest_send_failures_total",
      help: "Failed produce attempts (retried)",
      type: "counter",
      values: single(publisher?.sendFailures),
    },
    {
      name: "tickstream_ingest_fetch_errors_total",
      help: "Source fetch errors by kind",
      type: "counter",
      values: errors,
    },
    {
      name: "tickstream_ingest_last_success_seconds",
      help: "Unix time of the last successful fetch per symbol",
      type: "gauge",
      values: lastSuccess,
    },
    {
      name: "tickstream_stream_batches_total",
      help: "Batches committed by the stream worker",
      type: "counter",
      values: single(stream?.batches),
    },
    {
      name: "tickstream_stream_events_applied_total",
      help: "Valid tick events applied",
      type: "counter",
      values: single(stream?.applied),
    },
    {
      name: "tickstream_stream_dead_letters_total",
      help: "Invalid events sent to the dead-letter topic",
      type: "counter",
      values: single(stream?.deadLettered),
    },
    {
      name: "tickstream_stream_failed_batches_total",
      help: "Batches rolled back and retried",
      type: "counter",
      values: single(stream?.failedBatches),
    },
    {
      name: "tickstream_realtime_connections",
      help: "Socket.IO connections of this web instance",
      type: "gauge",
      values: single(typeof sockets === "number" ? sockets : undefined),
    },
  ]);
}
