import { createAdmin, type KafkaClient } from "@/lib/kafka/client";
import { describeError, type Logger } from "@/lib/log";

/**
 * Start of the id of every group a web instance consumes in (one per instance and purpose): the web
 * user's ACLs cover groups by this prefix (lib/kafka/acls.ts).
 */
export const WEB_GROUP_PREFIX = "tickstream-web-";

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
