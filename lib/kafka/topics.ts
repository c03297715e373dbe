import type { Admin } from "@/lib/kafka/client";
import { pollUntil, retry } from "@/lib/retry";

export type TopicSpec = {
  topic: string;
  numPartitions: number;
  configEntries?: { name: string; value: string }[];
};

export type TopicState = { topic: string; partitions: number };

/**
 * Topic metadata, asked again a few times: right after a broker starts, or a topic is made, the broker
 * can still answer "does not host this topic-partition" for a moment before its metadata settles.
 */
function readTopicMetadata(admin: Admin, topics: string[]) {
  return retry(() => admin.fetchTopicMetadata({ topics }), { baseMs: 250, maxMs: 2_000, maxAttempts: 6 });
}

/**
 * Topic metadata once every partition of `topics` has a leader. A broker that has only just started, or
 * a topic only just made, answers "does not host this topic-partition" or names no leader for a while;
 * kafkajs's own wait for leaders (`createTopics`' `waitForLeaders`) gives up on the first of those, which
 * failed the stream benchmark's first run against a broker it had just started.
 */
function readSettledMetadata(admin: Admin, topics: string[]) {
  return pollUntil(
    async () => {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const settled = topics.every((topic) => {
        const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.leader >= 0);
      });
      return settled ? metadata : null;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: `a leader for every partition of ${topics.join(", ")}`,
      // kafkajs marks the errors of a broker or topic not ready yet as retriable (unknown
      // topic-partition, leader not available).
      isRetriable: (error) => (error as { retriable?: unknown } | null)?.retriable === true,
    },
  );
}

/**
 * Creates the topics that are missing and adds partitions where a topic has fewer than asked for
 * (Kafka cannot remove partitions). Returns each topic with its partition count afterwards.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<TopicState[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions,
        replicationFactor: -1,
        configEntries: s.configEntries ?? [],
      })),
    });
  }
  const metadata = await readSettledMetadata(
    admin,
    specs.map((s) => s.topic),
  );
  const grow = specs.flatMap((spec) => {
    const found = metadata.topics.find((t) => t.name === spec.topic);
    const count = found?.partitions.length ?? 0;
    return count < spec.numPartitions ? [{ topic: spec.topic, count: spec.numPartitions }] : [];
  });
  if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
  return describeTopics(
    admin,
    specs.map((s) => s.topic),
  );
}

/** Partition counts of the given topics; a missing topic has 0 partitions. */
export async function describeTopics(admin: Admin, topics: readonly string[]): Promise<TopicState[]> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  const metadata = present.length ? await readTopicMetadata(admin, present) : { topics: [] };
  return topics.map((topic) => ({
    topic,
    partitions: metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0,
  }));
}
