import { z } from "zod";

import { DLQ_HEADERS } from "@/lib/events/topics";

/**
 * Why an event was dead-lettered, as a bounded class: the code that rejects an event names its class
 * next to the free-text reason, the stream worker sends it in the `x-dlq-reason-class` header, and
 * metrics and the ops view count by it. `other` is the class of letters that carry no known class
 * (written before the header existed, or by a newer worker).
 */
export const deadLetterReasonClassSchema = z.enum([
  "empty",
  "too_large",
  "not_json",
  "unknown_version",
  "schema",
  "key_mismatch",
  "future_bar",
  "unknown_symbol",
  "symbol_limit",
  "other",
]);
export type DeadLetterReasonClass = z.infer<typeof deadLetterReasonClassSchema>;

/** A rejected event: its class (bounded, for counting) and a reason a person can read. */
export type DeadLetterRejection = { reasonClass: DeadLetterReasonClass; reason: string };

/** The class a dead letter's headers carry; `other` when the header is missing or unknown. */
export function readDeadLetterReasonClass(headers: Readonly<Record<string, string>>): DeadLetterReasonClass {
  const parsed = deadLetterReasonClassSchema.safeParse(headers[DLQ_HEADERS.reasonClass]);
  return parsed.success ? parsed.data : "other";
}

/**
 * Most bytes of a rejected value that the dead-letter outbox stores and the DLQ topic carries: four
 * times the tick limit (MAX_TICK_BYTES), enough to see what was sent. Only `too_large` letters are
 * longer; their first bytes are kept, the `x-dlq-value-bytes` header says how long the value was, and
 * the whole value stays on the source topic at the letter's coordinates for that topic's retention. A
 * flood of megabyte events thus costs 8 KiB per letter, never the full size.
 */
export const MAX_DEAD_LETTER_VALUE_BYTES = 8_192;

/** The value a dead letter keeps (a prefix of at most MAX_DEAD_LETTER_VALUE_BYTES) and its full size. */
export function boundDeadLetterValue(value: Buffer | null): { value: Buffer | null; valueBytes: number } {
  if (value === null) return { value: null, valueBytes: 0 };
  return { value: value.subarray(0, MAX_DEAD_LETTER_VALUE_BYTES), valueBytes: value.length };
}
