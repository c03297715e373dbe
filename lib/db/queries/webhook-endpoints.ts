import { asc, eq, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { webhookEndpoints, type WebhookEndpointRow } from "@/lib/db/schema";

export type { WebhookEndpointRow };

export type NewWebhookEndpoint = Pick<
  typeof webhookEndpoints.$inferInsert,
  "url" | "description" | "secret" | "ruleIds" | "symbols" | "isEnabled"
>;

export async function insertWebhookEndpoint(
  db: DbOrTx,
  endpoint: NewWebhookEndpoint,
): Promise<WebhookEndpointRow> {
  const [row] = await db.insert(webhookEndpoints).values(endpoint).returning();
  return row!;
}

export async function listWebhookEndpoints(db: DbOrTx): Promise<WebhookEndpointRow[]> {
  return db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.id));
}

/** One endpoint, locked until the transaction ends (the change and its audit entry agree). */
export async function getWebhookEndpointForUpdate(
  tx: DbOrTx,
  id: number,
): Promise<WebhookEndpointRow | null> {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for("update");
  return row ?? null;
}

export type WebhookEndpointPatch = Partial<
  Pick<WebhookEndpointRow, "description" | "ruleIds" | "symbols" | "isEnabled">
>;

export async function updateWebhookEndpoint(
  tx: DbOrTx,
  id: number,
  patch: WebhookEndpointPatch,
): Promise<WebhookEndpointRow | null> {
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return row ?? null;
}

/** The new secret signs from now on; the current one keeps signing too until `previousExpiresAt`. */
export async function rotateWebhookEndpointSecret(
  tx: DbOrTx,
  id: number,
  secret: string,
  previousExpiresAt: Date,
): Promise<WebhookEndpointRow | null> {
  const [row] = await tx
    .update(webhookEndpoints)
    .set({
      previousSecret: sql`${webhookEndpoints.secret}`,
      previousSecretExpiresAt: previousExpiresAt,
      secret,
      updatedAt: sql`now()`,
    })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return row ?? null;
}

/** Deletes an endpoint and (cascade) its deliveries. */
export async function deleteWebhookEndpoint(tx: DbOrTx, id: number): Promise<WebhookEndpointRow | null> {
  const [row] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning();
  return row ?? null;
}
