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
