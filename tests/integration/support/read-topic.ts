import { randomUUID } from "node:crypto";

import { createAdmin, createConsumer, type KafkaClient } from "@/lib/kafka/client";
import { decodeHeaders } from "@/lib/events/header-value";

export type ReadMessage = {
  key: string | null;
  partition: number;
  offset: number;
  value: string;
  headers: Record<string, string>;
};

/** Thrown when a topic read does not reach its goal in time: a test must fail, not check partial data. */
export class TopicReadTimeoutError extends Error {}

type ReadGoal = { describe: () => string; isReached: (messages: readonly ReadMessage[]) => boolean };

/**
 * Reads `topic` from the beginning with a throwaway consumer group until `goal` holds; returns every
 * message read, in partition order. Throws {@link TopicReadTimeoutError} after `timeoutMs`.
 */
async function readTopicWhile(
  kafka: KafkaClient,
  topic: string,
  goal: ReadGoal,
  timeoutMs: number,
): Promise<ReadMessage[]> {
  const messages: ReadMessage[] = [];
  const consumer = createConsumer(kafka, { groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let resolveReached = () => {};
    const reached = new Promise<void>((resolve) => (resolveReached = resolve));
    await consumer.run({
      eachBatch: ({ batch }) => {
        for (const m of batch.messages) {
          messages.push({
            key: m.key?.toString() ?? null,
            partition: batch.partition,
            offset: Number(m.offset),
            value: m.value?.toString() ?? "",
            headers: decodeHeaders(m.headers),
          });
        }
        if (goal.isReached(messages)) resolveReached();
        return Promise.resolve();
      },
    });
    if (goal.isReached(messages)) resolveReached();
    const timeout = AbortSignal.timeout(timeoutMs);
    await new Promise<void>((resolve, reject) => {
      const onTimeout = () =>
        reject(
          new TopicReadTimeoutError(
            `reading ${topic}: ${goal.describe()} not reached within ${timeoutMs} ms (${messages.length} messages read)`,
          ),
        );
      timeout.addEventListener("abort", onTimeout, { once: true });
      void reached.then(() => {
        timeout.removeEventListener("abort", onTimeout);
        resolve();
      });
    });
    return [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  } finally {
    await consumer.disconnect();
  }
}

/** Reads `topic` from the beginning until `done(messages)` holds; throws when it does not within the timeout. */
export function readTopicUntil(
  kafka: KafkaClient,
  topic: string,
  done: (messages: readonly ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  return readTopicWhile(kafka, topic, { describe: () => "the read's condition", isReached: done }, timeoutMs);
}

/**
 * Reads every message of `topic` up to its end offsets as they are when called: all that the topic
 * held at that moment, nothing missing. Throws when the read does not get there within the timeout.
 */
export async function readTopicToEnd(
  kafka: KafkaClient,
  topic: string,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const admin = createAdmin(kafka);
  await admin.connect();
  let ends: Map<number, number>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    // Partitions with nothing left to read (empty, or emptied by retention) have low === high.
    ends = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const goal: ReadGoal = {
    describe: () => `the end offsets ${JSON.stringify(Object.fromEntries(ends))}`,
    isReached: (messages) => {
      const next = new Map<number, number>();
      for (const m of messages) next.set(m.partition, Math.max(next.get(m.partition) ?? 0, m.offset + 1));
      return [...ends].every(([partition, end]) => (next.get(partition) ?? 0) >= end);
    },
  };
  return readTopicWhile(kafka, topic, goal, timeoutMs);
}
