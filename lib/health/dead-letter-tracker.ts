import type { DeadLetter } from "@/lib/events/ops-snapshot";
import { DLQ_HEADERS } from "@/lib/events/topics";

const RECENT_LIMIT = 20;
/** Distinct reasons counted; reasons are free text (schema issues), so the rest share one bucket. */
const REASON_LIMIT = 50;
const OTHER_REASONS = "(other reasons)";
/** Counting key of a reason: its head, so that one schema issue with different values counts once. */
const REASON_KEY_LENGTH = 80;

function toInt(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) ? n : null;
}

/** Dead letters this web process has seen on the DLQ topic: counts by reason and the last few. */
export function createDeadLetterTracker() {
  const byReason: Record<string, number> = {};
  let recent: DeadLetter[] = [];

  return {
    observe(message: { key: string | null; headers: Record<string, string>; receivedAt: number }): void {
      const reason = message.headers[DLQ_HEADERS.reason] ?? "(no reason header)";
      const failedAt = Date.parse(message.headers[DLQ_HEADERS.failedAt] ?? "");
      let bucket = reason.slice(0, REASON_KEY_LENGTH);
      if (!(bucket in byReason) && Object.keys(byReason).length >= REASON_LIMIT) bucket = OTHER_REASONS;
      byReason[bucket] = (byReason[bucket] ?? 0) + 1;
      recent = [
        {
          at: Number.isFinite(failedAt) ? failedAt : message.receivedAt,
          reason,
          key: message.key,
          sourcePartition: toInt(message.headers[DLQ_HEADERS.sourcePartition]),
          sourceOffset: toInt(message.headers[DLQ_HEADERS.sourceOffset]),
        },
        ...recent,
      ].slice(0, RECENT_LIMIT);
    },
    read: () => ({ byReason: { ...byReason }, recent }),
  };
}
