import type { z } from "zod";

import { decodeHeaders } from "@/lib/events/header-value";
import type { KafkaMessage, Producer } from "@/lib/kafka/client";

/** A message to produce: `value` is an event of the topic's schema, or text already encoded. */
export type OutMessage<T> = { key: string; value: T; headers?: Record<string, string> };

/** Most messages and bytes per produce request. The broker refuses a partition's record batch over
 * message.max.bytes (1 MiB by default), so requests stay well under it even if one partition gets all. */
const MAX_BATCH_MESSAGES = 5_000;
const MAX_BATCH_BYTES = 768 * 1024;

/**
 * Sends events to one topic as JSON, each parsed with the topic's `schema` first (a producer never
 * sends what its consumers would reject; a value that fails throws before anything is sent).
 */
export async function sendJsonBatch<T>(
  producer: Producer,
  topic: string,
  schema: z.ZodType<T>,
  messages: readonly OutMessage<T>[],
): Promise<void> {
  const encoded = messages.map((m) => ({ ...m, value: JSON.stringify(schema.parse(m.value)) }));
  await sendTextBatch(producer, topic, encoded);
}

/**
 * Sends messages whose values are text or bytes (dead letters carry the bytes they received) to one
 * topic in produce requests bounded by count and size (kafkajs does no batching of its own), waiting
 * for all in-sync replicas. Rejects if a request fails after kafkajs' retries; the requests before it
 * have gone out, so a caller that retries sends those messages again.
 */
export async function sendTextBatch(
  producer: Producer,
  topic: string,
  messages: readonly OutMessage<string | Buffer>[],
): Promise<void>;
/**
 * As above, for values `encode` turns into text or bytes: each value is encoded as its request fills,
 * so a large send holds one request's encodings at a time rather than all of them (the stream worker's
 * live updates in a 10,000-symbol backlog). An `encode` that throws rejects the call with its error
 * after the requests already filled have gone out, and sends nothing of the request it was filling.
 */
export async function sendTextBatch<T>(
  producer: Producer,
  topic: string,
  messages: readonly OutMessage<T>[],
  encode: (value: T) => string | Buffer,
): Promise<void>;
export async function sendTextBatch(
  producer: Producer,
  topic: string,
  messages: readonly OutMessage<unknown>[],
  encode: (value: unknown) => string | Buffer = (value) => value as string | Buffer,
): Promise<void> {
  let chunk: { key: string; value: string | Buffer; headers?: Record<string, string> }[] = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    await producer.send({ topic, acks: -1, messages: chunk });
    chunk = [];
    bytes = 0;
  };
  for (const m of messages) {
    const value = encode(m.value);
    let size = Buffer.byteLength(value) + Buffer.byteLength(m.key) + 64;
    for (const [name, text] of Object.entries(m.headers ?? {}))
      size += Buffer.byteLength(name) + Buffer.byteLength(text);
    if (chunk.length >= MAX_BATCH_MESSAGES || (bytes + size > MAX_BATCH_BYTES && chunk.length > 0))
      await flush();
    chunk.push({ key: m.key, value, ...(m.headers ? { headers: m.headers } : {}) });
    bytes += size;
  }
  await flush();
}

/** A consumed message with its value as text and headers decoded. */
export type InMessage = {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: number;
};

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
