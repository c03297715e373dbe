/** Default Kafka topic names; each process may override them through lib/env (TOPIC_*). */
export const DEFAULT_TOPICS = {
  ticks: "market.ticks",
  kpis: "market.kpis",
  ticksDlq: "market.ticks.dlq",
} as const;

export type TopicNames = { ticks: string; kpis: string; ticksDlq: string };

/** Header names the stream worker sets on a dead-lettered event. */
export const DLQ_HEADERS = {
  reason: "x-dlq-reason",
  /** The reason's class (lib/events/dead-letter.ts), so that readers count letters without parsing text. */
  reasonClass: "x-dlq-reason-class",
  sourceTopic: "x-dlq-source-topic",
  sourcePartition: "x-dlq-source-partition",
  sourceOffset: "x-dlq-source-offset",
  failedAt: "x-dlq-failed-at",
  /** Size in bytes of the value as received; the letter carries at most MAX_DEAD_LETTER_VALUE_BYTES of it. */
  valueBytes: "x-dlq-value-bytes",
} as const;

/**
 * Header names the stream worker sets on a `market.kpis` message: the oldest and newest `producedAt`
 * (epoch ms, decimal) of the tick events behind its updates (all the symbols of a symbols message), so that
 * the web process can measure the latency from the producer to the browsers without a field in the
 * update contract; the message's `publishedAt`, so that it can time a v1 update nobody watches
 * without decoding it; and on a symbols message (v2, v3) the number of its updates, so that it can count
 * them without decoding it while no page watches any symbol.
 */
export const KPI_HEADERS = {
  oldestProducedAt: "x-produced-at-oldest",
  newestProducedAt: "x-produced-at-newest",
  publishedAt: "x-published-at",
  updates: "x-updates",
} as const;
