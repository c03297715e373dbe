import type { WebhookSender } from "@/lib/alerts/webhook-sender";
import {
  DEFAULT_WEBHOOK_RETRY_POLICY,
  decideWebhookAttempt,
  type WebhookAttemptOutcome,
  type WebhookRetryPolicy,
} from "@/lib/alerts/webhook-retry";
import { signWebhook, WEBHOOK_HEADERS } from "@/lib/alerts/webhook-signature";
import type { Db } from "@/lib/db/client";
import {
  listDueWebhookDeliveries,
  recordWebhookAttempts,
  withWebhookRelayLock,
  type DueWebhookDelivery,
  type WebhookAttemptRecord,
} from "@/lib/db/queries/webhook-deliveries";
import { formatAlertDedupeKey } from "@/lib/events/alert-event";
import { formatIssues } from "@/lib/events/format-issues";
import { webhookPayloadSchema } from "@/lib/events/webhook";
import { describeError, type Logger } from "@/lib/log";

/** Deliveries per relay pass: bounds how long one pass takes. */
const DEFAULT_BATCH_SIZE = 50;
/** Delivered and failed deliveries are deleted this long after they were queued; pending ones never are. */
export const WEBHOOK_DELIVERY_RETENTION_MS = 30 * 24 * 3_600_000;
/** Requests in flight at once within a pass. */
const DEFAULT_CONCURRENCY = 8;

export type WebhookRelayOptions = {
  db: Db;
  /** POSTs one attempt (lib/alerts/webhook-sender.ts createWebhookSender; tests pass their own). */
  send: WebhookSender;
  logger: Logger;
  clock: () => number;
  retry?: WebhookRetryPolicy;
  batchSize?: number;
  concurrency?: number;
};

/**
 * The headers of one attempt: the dedupe key as webhook-id (the same on every retry of this revision),
 * the attempt's time, and a signature per secret in force (the previous one too during a rotation's
 * grace period, space-separated as Standard Webhooks allows).
 */
export function signDelivery(
  delivery: DueWebhookDelivery,
  body: string,
  now: number,
): Record<string, string> {
  const signed = {
    id: formatAlertDedupeKey({ id: delivery.alertEventId, revision: delivery.eventRevision }),
    timestampSeconds: Math.floor(now / 1000),
    body,
  };
  const headers = signWebhook(delivery.secret, signed);
  if (
    delivery.previousSecret &&
    delivery.previousSecretExpiresAt &&
    delivery.previousSecretExpiresAt.getTime() > now
  ) {
    const previous = signWebhook(delivery.previousSecret, signed)[WEBHOOK_HEADERS.signature]!;
    headers[WEBHOOK_HEADERS.signature] = `${headers[WEBHOOK_HEADERS.signature]} ${previous}`;
  }
  return headers;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Delivers the webhook outbox (`webhook_deliveries`, filled by a trigger in the transaction of each
 * alert event's insert or change). One pass takes the relay lock (one relay per database at a time),
 * the oldest due pending deliveries, POSTs them (signed, with a per-attempt timeout), records each
 * outcome (delivered; pending with the next attempt's time after a jittered exponential backoff; failed
 * after the last attempt) in one statement; no transaction stays open across the POSTs (see
 * withSessionLock). It runs beside the KPI path, on its own timer and connection:
 * a slow or dead receiver delays only its deliveries, never a batch.
 *
 * At-least-once: if the process dies (or its database connection does) after a POST and before the
 * record, the row is still pending as it was, and the next pass sends it again with the same
 * webhook-id, by which the receiver recognises the repeat.
 */
export function createWebhookRelay(options: WebhookRelayOptions) {
  const { db, send, logger, clock } = options;
  const policy = options.retry ?? DEFAULT_WEBHOOK_RETRY_POLICY;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  let running: Promise<void> | null = null;
  let isKickPending = false;
  let isStopping = false;

  async function attempt(delivery: DueWebhookDelivery): Promise<WebhookAttemptRecord> {
    const parsed = webhookPayloadSchema.safeParse(delivery.payload);
    let outcome: WebhookAttemptOutcome;
    if (!parsed.success) {
      // A stored body this version cannot read: sending it cannot get better by retrying.
      outcome = {
        kind: "unreachable",
        error: `payload does not match the webhook schema: ${formatIssues(parsed.error.issues)}`,
        isPermanent: true,
      };
    } else {
      const body = JSON.stringify(parsed.data);
      outcome = await send({ url: delivery.url, body, headers: signDelivery(delivery, body, clock()) });
    }
    const attemptedAt = clock();
    const decision = decideWebhookAttempt(outcome, delivery.attempts + 1, attemptedAt, policy);
    return {
      id: delivery.id,
      status: decision.status,
      nextAttemptAt: decision.status === "pending" ? new Date(decision.nextAttemptAt) : null,
      attemptedAt: new Date(attemptedAt),
      httpStatus: outcome.kind === "unreachable" ? null : outcome.httpStatus,
      error:
        outcome.kind === "unreachable"
          ? outcome.error
          : outcome.kind === "rejected"
            ? `HTTP ${outcome.httpStatus}`
            : null,
    };
  }

  /**
   * One relay pass; null when another relay holds the lock. Its statements commit one by one, so no
   * transaction is open while it waits for receivers.
   */
  async function deliverOnce(): Promise<{ attempted: number; delivered: number; failed: number } | null> {
    return withWebhookRelayLock(db, async (connection) => {
      const due = await listDueWebhookDeliveries(connection, new Date(clock()), batchSize);
      if (due.length === 0) return { attempted: 0, delivered: 0, failed: 0 };
      const records = await mapConcurrently(due, concurrency, attempt);
      await recordWebhookAttempts(connection, records);
      for (const r of records)
        if (r.status === "failed")
          logger.warn({ delivery: r.id, error: r.error }, "webhook delivery failed for good");
      return {
        attempted: records.length,
        delivered: records.filter((r) => r.status === "delivered").length,
        failed: records.filter((r) => r.status === "failed").length,
      };
    });
  }

  /** Passes until no full batch is left; returns how many attempts this call made. */
  async function drain(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const pass = await deliverOnce();
        if (pass === null) break;
        total += pass.attempted;
        if (pass.attempted > 0) logger.debug(pass, "webhook relay pass");
        if (pass.attempted < batchSize || isStopping) break;
      }
    } catch (error) {
      // The attempts of the failed pass were not recorded: those rows are due again at once, with the
      // same webhook-id (a receiver that got them dedupes).
      logger.warn({ err: describeError(error) }, "webhook relay pass failed; it tries again");
    }
    return total;
  }

  return {
    /** Starts a drain, or asks the running one to go round once more. Never rejects. */
    kick(): void {
      if (isStopping) return;
      if (running) {
        isKickPending = true;
        return;
      }
      running = (async () => {
        do {
          isKickPending = false;
          await drain();
        } while (isKickPending && !isStopping);
      })().finally(() => (running = null));
    },
    /** Runs one drain now and returns the number of attempts it made (tests, shutdown). */
    async drain(): Promise<number> {
      await running;
      return drain();
    },
    /** Stops kicking and waits up to `graceMs` for the pass in flight; what it does not record is sent again later. */
    async stop(graceMs = 5_000): Promise<void> {
      isStopping = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}

export type WebhookRelay = ReturnType<typeof createWebhookRelay>;
