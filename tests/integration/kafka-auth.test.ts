import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { createConsumer, createProducer, type KafkaClient } from "@/lib/kafka/client";
import { deleteConsumerGroups, WEB_GROUP_PREFIX } from "@/lib/kafka/consumer-groups";
import { withKafkaUser } from "@/lib/kafka/connection";
import { probeKafka } from "@/lib/kafka/probe";
import { deleteTopics, createPipelineTopics, getProcessGroups } from "@/scripts/stack/scratch";
import type { KafkaRole } from "@/scripts/stack/kafka-credentials";

import { createTestKafka, getTestKafkaConnection, runCleanup, testLogger, uniqueId } from "./helpers";

type TestTopics = { ticks: string; kpis: string; ticksDlq: string };

/** What a consumer got within `timeoutMs`: its first message's value, or the error it stopped on. */
async function consumeFirst(
  kafka: KafkaClient,
  topic: string,
  groupId: string,
  timeoutMs = 20_000,
): Promise<{ value: string } | { error: Error }> {
  const consumer = createConsumer(kafka, { groupId, restartOnFailure: () => Promise.resolve(false) });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`nothing from ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const settle = (outcome: { value: string } | { error: Error }) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      consumer.on(consumer.events.CRASH, ({ payload }) => settle({ error: payload.error }));
      consumer
        .connect()
        .then(() => consumer.subscribe({ topics: [topic], fromBeginning: true }))
        .then(() =>
          consumer.run({
            eachMessage: ({ message }) => {
              settle({ value: message.value?.toString() ?? "" });
              return Promise.resolve();
            },
          }),
        )
        .catch((error: unknown) => settle({ error: error as Error }));
    });
  } finally {
    await runCleanup("disconnecting a consumer", () => consumer.disconnect());
  }
}

async function send(kafka: KafkaClient, topic: string, value: string): Promise<void> {
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: "AAPL", value }] });
  } finally {
    await runCleanup("disconnecting a producer", () => producer.disconnect());
  }
}

const AUTHORIZATION_FAILED = /AUTHORIZATION_FAILED|Not authorized/;
/**
 * A group the user may not use: the broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED,
 * which kafkajs reports only as this message. Each test also shows an allowed group working on the
 * same broker, so the message cannot stand for a coordinator that is merely unavailable.
 */
const GROUP_REFUSED = /GROUP_AUTHORIZATION_FAILED|Failed to find group coordinator/;

/** The error a consumer stopped on ("" when it read a message instead). */
function describeRefusal(outcome: { value: string } | { error: Error }): string {
  return "error" in outcome ? outcome.error.message : "";
}

describe("Kafka authentication and per-process ACLs", () => {
  const as = (role: KafkaRole) => createTestKafka(uniqueId(role), role);
  const streamGroupId = uniqueId("tickstream-stream");
  let topics: TestTopics;

  beforeAll(async () => {
    expect(
      inject("kafkaCredentials"),
      "the tests need the broker's users (the local broker generates them)",
    ).not.toBeNull();
    const id = uniqueId("auth");
    topics = { ticks: `${id}.market.ticks`, kpis: `${id}.market.kpis`, ticksDlq: `${id}.market.ticks.dlq` };
    // The groups exactly as the stack grants them: the stream's one group, the web's by prefix.
    await createPipelineTopics(getTestKafkaConnection("admin"), topics, 1, {
      credentials: inject("kafkaCredentials"),
      groups: getProcessGroups(streamGroupId),
    });
  });

  afterAll(async () => {
    await runCleanup("deleting the topics", () => deleteTopics(as("admin"), Object.values(topics)));
  });

  it("refuses a client without credentials and one with a wrong password", async () => {
    const admin = getTestKafkaConnection("admin");
    expect((await probeKafka(admin, [], 5_000)).ok).toBe(true);

    const anonymous = await probeKafka(withKafkaUser(admin, null), [], 5_000);
    expect(anonymous.ok).toBe(false);

    const stream = getTestKafkaConnection("stream");
    const wrong = await probeKafka(
      withKafkaUser(stream, { ...stream.sasl!, password: "wrong-password" }),
      [],
      5_000,
    );
    expect(wrong.ok ? "accepted" : wrong.error).toMatch(/SASL|authentication/i);
  });

  it("lets ingest write ticks and nothing else", async () => {
    await send(as("ingest"), topics.ticks, "from ingest");
    await expect(send(as("ingest"), topics.kpis, "forged kpi")).rejects.toThrow(AUTHORIZATION_FAILED);
    await expect(send(as("ingest"), topics.ticksDlq, "forged letter")).rejects.toThrow(AUTHORIZATION_FAILED);
    // No group is granted to ingest: it cannot consume at all.
    const read = await consumeFirst(as("ingest"), topics.ticks, streamGroupId);
    expect(describeRefusal(read)).toMatch(GROUP_REFUSED);
    expect(await consumeFirst(as("stream"), topics.ticks, streamGroupId)).toHaveProperty("value");
  });

  it("lets stream read ticks in its group and write KPIs and dead letters, but not ticks", async () => {
    await send(as("ingest"), topics.ticks, "tick for stream");
    expect(await consumeFirst(as("stream"), topics.ticks, streamGroupId)).toHaveProperty("value");
    await send(as("stream"), topics.kpis, "kpi from stream");
    await send(as("stream"), topics.ticksDlq, "letter from stream");
    await expect(send(as("stream"), topics.ticks, "forged tick")).rejects.toThrow(AUTHORIZATION_FAILED);
    const otherGroup = await consumeFirst(as("stream"), topics.ticks, uniqueId("another-group"));
    expect(describeRefusal(otherGroup)).toMatch(GROUP_REFUSED);
  });

  it("lets web read KPIs and dead letters in its own groups, and write nothing", async () => {
    await send(as("stream"), topics.kpis, "kpi for web");
    await send(as("stream"), topics.ticksDlq, "letter for web");
    const group = () => `${WEB_GROUP_PREFIX}${uniqueId("test")}`;
    const ownGroup = group();
    expect(await consumeFirst(as("web"), topics.kpis, ownGroup)).toHaveProperty("value");
    // A web instance drops its groups when it stops; it cannot drop the stream's.
    await deleteConsumerGroups(as("web"), [ownGroup], testLogger);
    await expect(deleteConsumerGroups(as("web"), [streamGroupId], testLogger)).rejects.toThrow();
    await deleteConsumerGroups(as("admin"), [streamGroupId], testLogger);
    expect(await consumeFirst(as("web"), topics.ticksDlq, group())).toHaveProperty("value");
    await expect(send(as("web"), topics.ticks, "forged tick")).rejects.toThrow(AUTHORIZATION_FAILED);
    await expect(send(as("web"), topics.kpis, "forged kpi")).rejects.toThrow(AUTHORIZATION_FAILED);
    const ticks = await consumeFirst(as("web"), topics.ticks, group());
    expect(describeRefusal(ticks)).toMatch(AUTHORIZATION_FAILED);
    const foreignGroup = await consumeFirst(as("web"), topics.kpis, uniqueId("not-web"));
    expect(describeRefusal(foreignGroup)).toMatch(GROUP_REFUSED);
  });
});
