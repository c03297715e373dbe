import type { IHeaders, KafkaMessage, Producer } from "@/lib/kafka/client";

export type OutMessage = { key: string; value: unknown; headers?: Record<string, string> };

/** Max messages per produce request; kafkajs does no batching of its own, so callers hand us batches. */
const MAX_BATCH = 5_000;

/**
 * Sends JSON messages to one topic in produce requests of up to MAX_BATCH messages, waiting for all
 * in-sync replicas. Rejects if any request fails after kafkajs' retries: the caller keeps the messages.
 */
export async function sendJsonBatch(producer: Producer, topic: string, messages: readonly OutMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += MAX_BATCH) {
    const chunk = messages.slice(i, i + MAX_BATCH);
    await producer.send({
      topic,
      acks: -1,
      messages: chunk.map((m) => ({
        key: m.key,
        value: typeof m.value === "string" ? m.value : JSON.stringify(m.value),
        ...(m.headers ? { headers: m.headers } : {}),
      })),
    });
  }
}

/** Decodes Kafka headers (Buffers, strings or arrays of either) into plain strings. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** A consumed message with its value as text and headers decoded. */
export type InMessage = { partition: number; offset: number; key: string | null; value: Buffer | null; headers: Record<string, string>; timestamp: number };

export function toInMessage(partition: number, message: KafkaMessage): InMessage {
  return {
    partition,
    offset: Number(message.offset),
    key: message.key ? message.key.toString() : null,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}
