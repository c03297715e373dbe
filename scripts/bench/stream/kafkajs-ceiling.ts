import { createConsumer, type KafkaClient } from "@/lib/kafka/client";
import { deleteConsumerGroups } from "@/lib/kafka/consumer-groups";
import type { Logger } from "@/lib/log";
import { pollUntil } from "@/lib/retry";

export type KafkajsCeilingResult = {
  /** Messages per second from the first fetched batch to the last. */
  eventsPerSecond: number;
  /** Messages per second from connect, group join included. */
  eventsPerSecondWithJoin: number;
  seconds: number;
  /** CPU seconds of this (the benchmark's) process meanwhile: kafkajs's fetch and decode cost. */
  cpuSeconds: number;
};

/**
 * kafkajs (through lib/kafka, with the stream worker's consumer settings, its fetch size included) reading `messages` messages
 * of `topic` from the start in a group of its own and doing nothing with them: what the client alone
 * allows the stream worker on this machine.
 */
export async function runKafkajsCeiling(options: {
  kafka: KafkaClient;
  topic: string;
  messages: number;
  groupId: string;
  logger: Logger;
  /** STREAM_FETCH_MAX_BYTES, as the workers run. */
  fetchMaxBytes: number;
}): Promise<KafkajsCeilingResult> {
  const consumer = createConsumer(options.kafka, {
    groupId: options.groupId,
    maxBytesPerPartition: options.fetchMaxBytes,
  });
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let firstAt = 0;
  let lastAt = 0;
  let count = 0;
  let firstBatch = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    await consumer.run({
      eachBatch: ({ batch }) => {
        if (count === 0) {
          firstAt = performance.now();
          firstBatch = batch.messages.length;
        }
        count += batch.messages.length;
        lastAt = performance.now();
        return Promise.resolve();
      },
    });
    await pollUntil(() => count >= options.messages, {
      timeoutMs: 300_000,
      intervalMs: 20,
      what: `kafkajs to read ${options.messages} messages`,
    });
  } finally {
    await consumer.disconnect();
    await deleteConsumerGroups(options.kafka, [options.groupId], options.logger).catch(() => undefined);
  }
  const cpu = process.cpuUsage(cpuBefore);
  // The first batch's messages arrived with it: the rate counts the ones read after it.
  const fetchSeconds = (lastAt - firstAt) / 1000;
  return {
    eventsPerSecond: fetchSeconds > 0 ? (count - firstBatch) / fetchSeconds : 0,
    eventsPerSecondWithJoin: count / ((lastAt - startedAt) / 1000),
    seconds: (lastAt - startedAt) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}
