import { Kafka, logLevel } from "kafkajs";

import { toKafkajsSecurity } from "@/lib/kafka/client";
import type { KafkaConnection } from "@/lib/kafka/connection";
import { silenceKafkajsTimeoutWarning } from "@/lib/kafka/warnings";
import { describeTopics, type TopicState } from "@/lib/kafka/topics";
import { withTimeout } from "@/lib/retry";

export type KafkaProbe = { ok: true; topics: TopicState[]; latencyMs: number } | { ok: false; error: string };

/**
 * Asks the brokers for the given topics within `timeoutMs`, with no retries and no logging: the
 * health endpoint and the stack scripts use it to tell "up" from "down" quickly.
 */
export async function probeKafka(
  connection: KafkaConnection,
  topics: readonly string[],
  timeoutMs = 3_000,
): Promise<KafkaProbe> {
  silenceKafkajsTimeoutWarning();
  const started = Date.now();
  const kafka = new Kafka({
    brokers: connection.brokers,
    ...toKafkajsSecurity(connection),
    clientId: "tickstream-probe",
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 2_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    const result = await withTimeout(
      admin.connect().then(() => describeTopics(admin, topics)),
      timeoutMs,
      "Kafka",
    );
    return { ok: true, topics: result, latencyMs: Date.now() - started };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    // The probe's answer is already decided; a broker that cannot even be left is what it reported.
    void admin.disconnect().catch(() => undefined);
  }
}
