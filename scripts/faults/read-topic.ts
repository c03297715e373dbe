import { randomUUID } from "node:crypto";

import { createAdmin, createConsumer, type KafkaClient } from "@/lib/kafka/client";
import { decodeHeaders } from "@/lib/kafka/messages";

export type ReadMessage = {
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  headers: Record<string, string>;
};

/**
 * Every message of `topic` up to its end offsets as they are when called, with a throwaway consumer
 * group; rejects when the read does not get there within `timeoutMs` (a check must not run on part of
 * the topic).
 */
export async function readTopicToEnd(
  kafka: KafkaClient,
  topic: string,
  timeoutMs = 120_000,
): Promise<ReadMessage[]> {
  const admin = createAdmin(kafka);
  await admin.connect();
  let ends: Map<number, number>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const messages: ReadMessage[] = [];
  const next = new Map<number, number>();
  const isDone = () => [...ends].every(([partition, end]) => (next.get(partition) ?? 0) >= end);
  if (isDone()) return messages;
  const consumer = createConsumer(kafka, {
    groupId: `faults-reader-${randomUUID()}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading ${topic}: end offsets not reached in ${timeoutMs} ms (${messages.length} read)`,
            ),
          ),
        timeoutMs,
      );
      void consumer.run({
        eachBatch: ({ batch }) => {
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            messages.push({
              partition: batch.partition,
              offset,
              key: m.key?.toString() ?? null,
              value: m.value?.toString() ?? "",
              headers: decodeHeaders(m.headers),
            });
            next.set(batch.partition, Math.max(next.get(batch.partition) ?? 0, offset + 1));
          }
          if (isDone()) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return messages
    .filter((m) => m.offset < (ends.get(m.partition) ?? 0))
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
