import { requireFollowedSymbols, requireLiveAlertRules } from "@/lib/admin/references";
import { checkWebhookUrl, type WebhookHostPolicy } from "@/lib/alerts/webhook-url";
import { createWebhookSecret } from "@/lib/alerts/webhook-signature";
import { ApiError } from "@/lib/api/errors";
import type { Db, DbOrTx } from "@/lib/db/client";
import { insertAuditEntry } from "@/lib/db/queries/audit-log";
import type { WebhookDeliveryRow } from "@/lib/db/queries/webhook-deliveries";
import {
  deleteWebhookEndpoint,
  getWebhookEndpointForUpdate,
  insertWebhookEndpoint,
  rotateWebhookEndpointSecret,
  updateWebhookEndpoint,
  type WebhookEndpointRow,
} from "@/lib/db/queries/webhook-endpoints";
import { formatAlertDedupeKey } from "@/lib/events/alert-event";
import type { AuditAction } from "@/lib/events/api-admin";
import type {
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookSecretResponse,
} from "@/lib/events/webhook";

/**
 * After a rotation, deliveries carry a signature with the previous secret too for this long, so that a
 * receiver can switch secrets without losing a delivery (Standard Webhooks' multiple signatures).
 */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 3_600_000;

export type WebhookAdminDeps = { db: Db; clock: () => number; hostPolicy: WebhookHostPolicy };
export type WebhookActor = { username: string; clientIp: string | null };

/** What the admin API and the audit log show of an endpoint: everything but its secrets. */
export function toWebhookEndpointView(row: WebhookEndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    isEnabled: row.isEnabled,
    ruleIds: row.ruleIds,
    symbols: row.symbols,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}

export function toWebhookDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    alertEventId: row.alertEventId,
    eventRevision: row.eventRevision,
    eventType: row.eventType,
    webhookId: formatAlertDedupeKey({ id: row.alertEventId, revision: row.eventRevision }),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.getTime() : null,
    lastAttemptAt: row.lastAttemptAt?.getTime() ?? null,
    lastHttpStatus: row.lastHttpStatus,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
  };
}

function requireAllowedUrl(url: string, policy: WebhookHostPolicy): string {
  const check = checkWebhookUrl(url, policy);
  if (!check.ok) throw new ApiError("bad_request", `url: ${check.reason}`);
  return check.url.toString();
}

async function audit(
  db: DbOrTx,
  actor: WebhookActor,
  action: AuditAction,
  before: WebhookEndpointView | null,
  after: WebhookEndpointView | null,
): Promise<void> {
  await insertAuditEntry(db, {
    actor: actor.username,
    action,
    symbol: null,
    before,
    after,
    clientIp: actor.clientIp,
  });
}

/** Creates an endpoint with a new secret, returned here and never again. Audited without the secret. */
export async function createWebhookEndpoint(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  body: CreateWebhookEndpointBody,
): Promise<WebhookSecretResponse> {
  const url = requireAllowedUrl(body.url, deps.hostPolicy);
  const secret = createWebhookSecret();
  return deps.db.transaction(async (tx) => {
    await requireFollowedSymbols(tx, "symbols", body.symbols);
    await requireLiveAlertRules(tx, "ruleIds", body.ruleIds);
    const row = await insertWebhookEndpoint(tx, {
      url,
      description: body.description,
      secret,
      ruleIds: [...new Set(body.ruleIds)],
      symbols: [...new Set(body.symbols)],
      isEnabled: body.isEnabled,
    });
    const endpoint = toWebhookEndpointView(row);
    await audit(tx, actor, "webhook.create", null, endpoint);
    return { endpoint, secret };
  });
}

/** Enables, disables or re-filters an endpoint; null when there is no such endpoint. */
export async function changeWebhookEndpoint(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  id: number,
  patch: UpdateWebhookEndpointBody,
): Promise<WebhookEndpointView | null> {
  return deps.db.transaction(async (tx) => {
    const before = await getWebhookEndpointForUpdate(tx, id);
    if (!before) return null;
    if (patch.symbols) await requireFollowedSymbols(tx, "symbols", patch.symbols, before.symbols);
    if (patch.ruleIds) await requireLiveAlertRules(tx, "ruleIds", patch.ruleIds, before.ruleIds);
    const row = await updateWebhookEndpoint(tx, id, {
      description: patch.description,
      isEnabled: patch.isEnabled,
      ruleIds: patch.ruleIds && [...new Set(patch.ruleIds)],
      symbols: patch.symbols && [...new Set(patch.symbols)],
    });
    const after = toWebhookEndpointView(row!);
    const action: AuditAction =
      patch.isEnabled === undefined || patch.isEnabled === before.isEnabled
        ? "webhook.update"
        : patch.isEnabled
          ? "webhook.enable"
          : "webhook.disable";
    await audit(tx, actor, action, toWebhookEndpointView(before), after);
    return after;
  });
}

/** A new secret for an endpoint; the previous one keeps signing for WEBHOOK_SECRET_GRACE_MS. */
export async function rotateWebhookSecret(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  id: number,
): Promise<WebhookSecretResponse | null> {
  const secret = createWebhookSecret();
  return deps.db.transaction(async (tx) => {
    const before = await getWebhookEndpointForUpdate(tx, id);
    if (!before) return null;
    const row = await rotateWebhookEndpointSecret(
      tx,
      id,
      secret,
      new Date(deps.clock() + WEBHOOK_SECRET_GRACE_MS),
    );
    const endpoint = toWebhookEndpointView(row!);
    await audit(tx, actor, "webhook.rotate_secret", toWebhookEndpointView(before), endpoint);
    return { endpoint, secret };
  });
}

/** Deletes an endpoint with its deliveries (pending ones are never sent); false when there was none. */
export async function removeWebhookEndpoint(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  id: number,
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const row = await deleteWebhookEndpoint(tx, id);
    if (!row) return false;
    await audit(tx, actor, "webhook.delete", toWebhookEndpointView(row), null);
    return true;
  });
}
