import { createAdmin, type KafkaClient } from "@/lib/kafka/client";
import { describeError, type Logger } from "@/lib/log";

/** Drops consumer groups (a web instance's own groups on shutdown, so that they do not pile up). */
export async function deleteConsumerGroups(
  kafka: KafkaClient,
  groupIds: readonly string[],
  logger: Logger,
): Promise<void> {
  const admin = createAdmin(kafka);
  try {
    await admin.connect();
    await admin.deleteGroups([...groupIds]);
  } finally {
    await admin
      .disconnect()
      .catch((err: unknown) =>
        logger.debug({ err: describeError(err) }, "disconnecting the Kafka admin failed"),
      );
  }
}
