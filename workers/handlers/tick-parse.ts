// What the stream worker reads from one message of a batch, before anything touches PostgreSQL: the tick,
// or the rejection its dead letter records.
import type { RecordedDeadLetter } from "@/lib/db/queries/dead-letters";
import { boundDeadLetterValue, type DeadLetterRejection } from "@/lib/events/dead-letter";
import { parseTickMessage, type TickV1 } from "@/lib/events/tick-v1";
import type { InMessage } from "@/lib/kafka/messages";
import { isFutureBar } from "@/lib/kpi/future-bar";

export type Rejected = { message: InMessage } & DeadLetterRejection;

export type Accepted = { message: InMessage; tick: TickV1 };
export type Parsed = Accepted | Rejected;

/** One message read as a tick, or why it is dead-lettered (invalid, a bar in the future, a key that is not its symbol). */
export function parse(message: InMessage, now: number, futureToleranceMs: number): Parsed {
  const result = parseTickMessage(message.value);
  if (!result.ok) return { message, reasonClass: result.reasonClass, reason: result.reason };
  if (isFutureBar(result.tick.ts, now, futureToleranceMs)) {
    return {
      message,
      reasonClass: "future_bar",
      reason: `bar starts in the future: ts ${new Date(result.tick.ts).toISOString()} is more than ${futureToleranceMs / 1000} s after the clock (${new Date(now).toISOString()})`,
    };
  }
  if (message.key !== null && message.key !== result.tick.symbol) {
    return {
      message,
      reasonClass: "key_mismatch",
      reason: `message key ${JSON.stringify(message.key)} does not match symbol ${result.tick.symbol}`,
    };
  }
  return { message, tick: result.tick };
}

/** The symbols of the valid events among `items` (a loop: a flatMap made an array per event). */
export function symbolsOf(items: readonly Parsed[]): Set<string> {
  const symbols = new Set<string>();
  for (const item of items) if ("tick" in item) symbols.add(item.tick.symbol);
  return symbols;
}

/** A dead letter keeps the bytes it received, whatever they were (bounded: boundDeadLetterValue). */
export function toDeadLetter(
  batch: { topic: string; partition: number },
  item: Rejected,
  now: number,
): RecordedDeadLetter {
  return {
    sourceTopic: batch.topic,
    sourcePartition: batch.partition,
    sourceOffset: item.message.offset,
    messageKey: item.message.key,
    ...boundDeadLetterValue(item.message.value),
    reasonClass: item.reasonClass,
    reason: item.reason.slice(0, 1000),
    failedAt: new Date(now),
  };
}
