import { readDeadLetterReasonClass, type DeadLetterReasonClass } from "@/lib/events/dead-letter";
import type { DeadLetter } from "@/lib/events/ops-snapshot";
import { DLQ_HEADERS } from "@/lib/events/topics";

const RECENT_LIMIT = 20;

function toInt(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) ? n : null;
}

/**
 * Dead letters this web process has seen on the DLQ topic: counts by reason class (the header the
 * stream worker sets; `other` for letters without it) and the last few with their full reason.
 */
export function createDeadLetterTracker() {
  const byReason: Partial<Record<DeadLetterReasonClass, number>> = {};
  let recent: DeadLetter[] = [];

  return {
    observe(message: { key: string | null; headers: Record<string, string>; receivedAt: number }): void {
      const reasonClass = readDeadLetterReasonClass(message.headers);
      const failedAt = Date.parse(message.headers[DLQ_HEADERS.failedAt] ?? "");
      byReason[reasonClass] = (byReason[reasonClass] ?? 0) + 1;
      recent = [
        {
          at: Number.isFinite(failedAt) ? failedAt : message.receivedAt,
          reasonClass,
          reason: message.headers[DLQ_HEADERS.reason] ?? "(no reason header)",
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
