import type { KafkaClient } from "@/lib/kafka/client";
import { createConsumer } from "@/lib/kafka/client";
import { uniqueId } from "../helpers";

export type ReadMessage = { key: string | null; partition: number; offset: number; value: string };

/**
 * Reads a topic from the beginning with a throwaway group until `done(messages)` holds or the
 * timeout passes; returns the messages in partition order.
 */
export async function readTopic(
  kafka: KafkaClient,
  topic: string,
  done: (messages: ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const messages: ReadMessage[] = [];
  const consumer = createConsumer(kafka, { groupId: uniqueId("reader") });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: ({ batch }) => {
      for (const m of batch.messages) {
        messages.push({
          key: m.key?.toString() ?? null,
          partition: batch.partition,
          offset: Number(m.offset),
          value: m.value?.toString() ?? "",
        });
      }
      return Promise.resolve();
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (!done(messages) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await consumer.disconnect();
  return messages;
}
