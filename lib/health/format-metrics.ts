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

const num = (v: unknown) => (typeof v === "number" ? v : 0);
const obj = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});

/**
 * Prometheus text exposition of the pipeline: component up/down, and the counters the workers report
 * in their heartbeats (events published per source and symbol, fetch errors by kind, last success per
 * symbol, batches applied, dead letters, buffer size), plus live connections of this web instance.
 */
export function formatMetrics(report: HealthReport): string {
  const up = (s: string) => (s === "ok" ? 1 : 0);
  const ingest = obj(report.workers.ingest?.info);
  const stream = obj(report.workers.stream?.info);
  const publisher = obj(ingest.publisher);
  const sources = obj(ingest.sources);
  const published = Object.entries(obj(publisher.published)).flatMap(([source, bySymbol]) =>
    Object.entries(obj(bySymbol)).map(([symbol, value]) => ({
      labels: { source, symbol },
      value: num(value),
    })),
  );
  const yahoo = obj(sources.yahoo);
  const errors = Object.entries(obj(yahoo.errors)).map(([kind, value]) => ({
    labels: { source: "yahoo", kind },
    value: num(value),
  }));
  const lastSuccess = Object.entries(obj(yahoo.lastSuccess)).map(([symbol, value]) => ({
    labels: { source: "yahoo", symbol },
    value: num(value) / 1000,
  }));

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
      values: [{ value: num(publisher.buffered) }],
    },
    {
      name: "tickstream_ingest_send_failures_total",
      help: "Failed produce attempts (retried)",
      type: "counter",
      values: [{ value: num(publisher.sendFailures) }],
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
      values: [{ value: num(stream.batches) }],
    },
    {
      name: "tickstream_stream_events_applied_total",
      help: "Valid tick events applied",
      type: "counter",
      values: [{ value: num(stream.applied) }],
    },
    {
      name: "tickstream_stream_dead_letters_total",
      help: "Invalid events sent to the dead-letter topic",
      type: "counter",
      values: [{ value: num(stream.deadLettered) }],
    },
    {
      name: "tickstream_stream_failed_batches_total",
      help: "Batches rolled back and retried",
      type: "counter",
      values: [{ value: num(stream.failedBatches) }],
    },
    {
      name: "tickstream_realtime_connections",
      help: "Socket.IO connections of this web instance",
      type: "gauge",
      values: report.realtime ? [{ value: num(report.realtime.sockets) }] : [],
    },
  ]);
}
