export type KafkaLogLevel = "error" | "warn" | "info" | "debug";

export type KafkaLogLine = { level: KafkaLogLevel; message: string; fields: Record<string, unknown> };

/**
 * Broker answers that are expected while a broker starts, topics are created or leadership moves: the
 * request succeeds once the broker has settled, and kafkajs retries it (or restarts the consumer). The
 * texts are kafkajs' own messages (kafkajs/src/protocol/error.js), which is all its log entries carry.
 */
const TRANSIENT_CONDITIONS: readonly { text: string; condition: string; next?: string }[] = [
  {
    text: "The coordinator is loading and hence can't process requests for this group",
    condition: "the consumer group's coordinator is still loading",
  },
  {
    text: "The group coordinator is not available",
    condition: "the consumer group's coordinator is not available yet",
  },
  {
    text: "This is not the correct coordinator for this group",
    condition: "the consumer group's coordinator has moved",
  },
  {
    text: "There is no leader for this topic-partition as we are in the middle of a leadership election",
    condition: "topic leadership is settling",
  },
  {
    text: "This server does not host this topic-partition",
    condition: "the topic's partitions are not ready on the broker yet",
  },
  {
    text: "This server is not the leader for that topic-partition",
    condition: "partition leadership has moved",
  },
  { text: "The group is rebalancing, so a rejoin is needed", condition: "the consumer group is rebalancing" },
  {
    // After a broker restart or a long pause the member's session has expired; or a dead worker's member
    // id handed to its replacement (lib/kafka/member-handover.ts) had already left the group.
    text: "The coordinator is not aware of this member",
    condition: "the group coordinator no longer knows this member (its session expired, or it left)",
    next: "the consumer joins the group again",
  },
];

/** Lines kafkajs logs for conditions it handles itself; the worker logs what matters with its cause. */
const ROUTINE = [
  /Response \w+\(key: \d+/,
  // Finite retries on the idempotent producer are deliberate: the publisher retries the same batch.
  /Limiting retries for the idempotent producer/,
  // A handler error is retried and logged by the worker itself with its cause.
  /Error when calling each(Batch|Message)/,
];

/** While a broker is away every retry logs a connection error; they are expected, not failures. */
const UNREACHABLE = /Connection error|Failed to connect to seed broker/;

/** The expected condition a kafkajs message or error names, or null for anything else. */
export function findTransientKafkaCondition(text: string): string | null {
  return TRANSIENT_CONDITIONS.find((c) => text.includes(c.text))?.condition ?? null;
}

function findNextStep(text: string): string | undefined {
  return TRANSIENT_CONDITIONS.find((c) => text.includes(c.text))?.next;
}

/** Whether an error thrown by kafkajs is one of the expected, self-healing broker conditions above. */
export function isTransientKafkaError(error: unknown): boolean {
  return error instanceof Error && findTransientKafkaCondition(error.message) !== null;
}

const RANK: Record<KafkaLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const atMost = (level: KafkaLogLevel, cap: KafkaLogLevel) => (RANK[level] > RANK[cap] ? cap : level);

/**
 * How one kafkajs log entry reaches the process log. An expected transient condition becomes one warn
 * line that says what happens next, without the stack kafkajs attaches; real errors keep their level
 * and stack. Never raises a level.
 */
export function classifyKafkajsLog(
  level: KafkaLogLevel,
  message: string,
  fields: Record<string, unknown>,
): KafkaLogLine {
  if (ROUTINE.some((pattern) => pattern.test(message))) return { level: "debug", message, fields };
  const condition = findTransientKafkaCondition(message);
  if (condition) {
    const { stack: _stack, ...rest } = fields;
    const next =
      findNextStep(message) ??
      (message.startsWith("Crash:") ? "the consumer restarts and joins again" : "kafkajs retries");
    return { level: atMost(level, "warn"), message: `${condition}; ${next}`, fields: rest };
  }
  if (/^Restarting the consumer in/.test(message)) return { level: atMost(level, "info"), message, fields };
  if (UNREACHABLE.test(message)) {
    const { stack: _stack, ...rest } = fields;
    return { level: atMost(level, "warn"), message: `${message}; kafkajs retries`, fields: rest };
  }
  return { level, message, fields };
}
