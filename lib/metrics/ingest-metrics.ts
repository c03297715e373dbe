import { Counter, Gauge, Histogram, type Registry } from "prom-client";

import { tickSourceSchema } from "@/lib/events/tick-v1";
import { YAHOO_ERROR_KINDS } from "@/lib/ingest/yahoo/errors";
import { LATENCY_BUCKETS_SECONDS } from "@/lib/metrics/registry";

/** Which Yahoo API a request went to; a bounded label, never the URL or the symbol. */
export type YahooEndpoint = "chart" | "quote" | "session" | "other";

/**
 * The ingest worker's series. Labels are bounded sets (source, outcome, Yahoo endpoint and error kind),
 * never a symbol: a label per symbol would make a series per ticker an admin ever added.
 */
export function createIngestMetrics(registry: Registry) {
  const registers = [registry];
  const eventsProduced = new Counter({
    name: "tickstream_ingest_events_produced_total",
    help: "Tick events Kafka acknowledged, by source",
    labelNames: ["source"] as const,
    registers,
  });
  const eventsRejected = new Counter({
    name: "tickstream_ingest_events_rejected_total",
    help: "Bars a source produced that failed the tick schema (never sent), by source",
    labelNames: ["source"] as const,
    registers,
  });
  for (const source of tickSourceSchema.options) {
    eventsProduced.inc({ source }, 0);
    eventsRejected.inc({ source }, 0);
  }
  const yahooErrors = new Counter({
    name: "tickstream_yahoo_request_errors_total",
    help: "Failed Yahoo requests by kind (rate_limited, server_error, network, timeout, validation, not_found, other)",
    labelNames: ["kind"] as const,
    registers,
  });
  for (const kind of YAHOO_ERROR_KINDS) yahooErrors.inc({ kind }, 0);
  const kafkaAvailable = new Gauge({
    name: "tickstream_ingest_kafka_available",
    help: "1 while the last produce request succeeded (and before the first), 0 while Kafka is unavailable",
    registers,
  });
  // Like the heartbeat's figure: Kafka counts as available until a request fails.
  kafkaAvailable.set(1);

  return {
    eventsProduced,
    eventsRejected,
    produceRetries: new Counter({
      name: "tickstream_ingest_produce_retries_total",
      help: "Produce requests that failed and are retried with backoff (the batch stays buffered)",
      registers,
    }),
    produceDuration: new Histogram({
      name: "tickstream_ingest_produce_duration_seconds",
      help: "Duration of one produce request to market.ticks (acks=all), by outcome",
      labelNames: ["outcome"] as const,
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers,
    }),
    produceBatchSize: new Histogram({
      name: "tickstream_ingest_produce_batch_events",
      help: "Events per produce batch sent to market.ticks",
      buckets: [1, 5, 10, 50, 100, 500, 1_000, 2_000, 5_000],
      registers,
    }),
    bufferedEvents: new Gauge({
      name: "tickstream_ingest_buffered_events",
      help: "Events held in the publisher's buffer (waiting for Kafka)",
      registers,
    }),
    kafkaAvailable,
    lastProduced: new Gauge({
      name: "tickstream_ingest_last_produced_timestamp_seconds",
      help: "Unix time of the last produce request Kafka acknowledged, by source",
      labelNames: ["source"] as const,
      registers,
    }),
    yahooRequestDuration: new Histogram({
      name: "tickstream_yahoo_request_duration_seconds",
      help: "Duration of one HTTP request to Yahoo Finance, by endpoint and outcome (HTTP status class or error)",
      labelNames: ["endpoint", "outcome"] as const,
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers,
    }),
    yahooErrors,
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;

/** The Yahoo endpoint of a request URL (chart, quote, the cookie/crumb session, or other). */
export function classifyYahooEndpoint(url: string): YahooEndpoint {
  if (/\/v8\/finance\/chart\//.test(url)) return "chart";
  if (/\/v7\/finance\/quote\b/.test(url)) return "quote";
  if (/getcrumb|consent|fc\.yahoo\.com|guce\./i.test(url)) return "session";
  return "other";
}
