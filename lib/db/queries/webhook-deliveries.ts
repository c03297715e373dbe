import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";

import type { Db, DbOrTx } from "@/lib/db/client";
import { webhookDeliveries, webhookEndpoints, type WebhookDeliveryRow } from "@/lib/db/schema";
import { withSessionLock } from "@/lib/db/session-lock";
import type { WebhookDeliveryStatus } from "@/lib/events/webhook";

export type { WebhookDeliveryRow };

/** Arbitrary constant (next to the dead-letter relay's): the one webhook relay of a database at a time. */
const RELAY_LOCK_KEY = 7_245_311_016;

/**
 * Runs one relay pass under the relay lock, on the connection that holds it (see withSessionLock: no
 * transaction stays open while the pass waits for receivers); null when another relay (another stream
 * worker) holds it. One relay at a time means one sender per delivery: two relays could otherwise both
 * POST a row before either records it.
 */
export function withWebhookRelayLock<T>(db: Db, pass: (connection: DbOrTx) => Promise<T>): Promise<T | null> {
  return withSessionLock(db, RELAY_LOCK_KEY, pass);
}

/** A due delivery with what sending it needs from its endpoint. */
export type DueWebhookDelivery = WebhookDeliveryRow & {
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
};

/**
 * The oldest `limit` pending deliveries due at `now`, with their endpoint's URL and secrets. Read
 * without row locks by the one relay that holds the relay lock: what else changes a delivery (its
 * endpoint's deletion, the retention sweep of finished ones) cannot make recording its attempt wrong,
 * since that changes only rows still pending. Deliveries of an endpoint disabled since they were
 * queued stay pending (and are sent if it is enabled again); a deleted endpoint's are gone with it.
 */
export async function listDueWebhookDeliveries(
  tx: DbOrTx,
  now: Date,
  limit: number,
): Promise<DueWebhookDelivery[]> {
  const rows = await tx
    .select({
      delivery: webhookDeliveries,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      previousSecret: webhookEndpoints.previousSecret,
      previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        sql`${webhookDeliveries.nextAttemptAt} <= ${now.toISOString()}`,
        eq(webhookEndpoints.isEnabled, true),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt, webhookDeliveries.id)
    .limit(limit);
  return rows.map(({ delivery, ...endpoint }) => ({ ...delivery, ...endpoint }));
}

/** What one attempt changed on its delivery. */
export type WebhookAttemptRecord = {
  id: number;
  status: WebhookDeliveryStatus;
  /** When the next attempt is due (pending), else ignored. */
  nextAttemptAt: Date | null;
  attemptedAt: Date;
  httpStatus: number | null;
  error: string | null;
};

/** Records attempts in one statement: attempts + 1, the outcome, and the next due time or the end state. */
export async function recordWebhookAttempts(
  tx: DbOrTx,
  records: readonly WebhookAttemptRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await tx.execute(sql`
    update ${webhookDeliveries} d
    set "status" = u.status, "attempts" = d."attempts" + 1, "last_attempt_at" = u.attempted_at,
        "next_attempt_at" = coalesce(u.next_attempt_at, d."next_attempt_at"),
        "last_http_status" = u.http_status, "last_error" = u.error,
        "delivered_at" = case when u.status = 'delivered' then u.attempted_at else d."delivered_at" end
    from unnest(
      cast(${sql.param(records.map((r) => r.id))} as bigint[]),
      cast(${sql.param(records.map((r) => r.status))} as text[]),
      cast(${sql.param(records.map((r) => r.nextAttemptAt?.toISOString() ?? null))} as timestamptz[]),
      cast(${sql.param(records.map((r) => r.attemptedAt.toISOString()))} as timestamptz[]),
      cast(${sql.param(records.map((r) => r.httpStatus))} as integer[]),
      cast(${sql.param(records.map((r) => r.error))} as text[])
    ) as u(id, status, next_attempt_at, attempted_at, http_status, error)
    where d."id" = u.id and d."status" = 'pending'`);
}

/** Deliveries newest first, optionally of one endpoint or status; `beforeId` pages back. */
export async function listWebhookDeliveries(
  db: DbOrTx,
  options: { limit: number; endpointId?: number; status?: WebhookDeliveryStatus; beforeId?: number },
): Promise<WebhookDeliveryRow[]> {
  const conditions: SQL[] = [];
  if (options.endpointId !== undefined) conditions.push(eq(webhookDeliveries.endpointId, options.endpointId));
  if (options.status !== undefined) conditions.push(eq(webhookDeliveries.status, options.status));
  if (options.beforeId !== undefined) conditions.push(lt(webhookDeliveries.id, options.beforeId));
  return db
    .select()
    .from(webhookDeliveries)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(webhookDeliveries.id))
    .limit(options.limit);
}

/** Retention: deletes delivered and failed deliveries created before `cutoff`; pending ones stay. */
export async function deleteFinishedWebhookDeliveriesBefore(db: DbOrTx, cutoff: number): Promise<number> {
  const result = await db
    .delete(webhookDeliveries)
    .where(
      and(lt(webhookDeliveries.createdAt, new Date(cutoff)), sql`${webhookDeliveries.status} <> 'pending'`),
    );
  return result.rowCount ?? 0;
}
