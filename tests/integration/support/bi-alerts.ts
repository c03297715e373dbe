import { createWebhookSecret } from "@/lib/alerts/webhook-signature";
import type { Db } from "@/lib/db/client";
import { insertWebhookEndpoint } from "@/lib/db/queries/webhook-endpoints";
import type { AlertRuleInput } from "@/lib/events/alert-rule";

/** Rules that fire on any few recorded sessions: MA 5 / MA 20 crosses both ways, close against EMA 20. */
export const BI_ALERT_RULES: readonly AlertRuleInput[] = [
  {
    name: "Golden cross",
    condition: { type: "ma_cross", kind: "golden" },
    scope: { kind: "all" },
    cooldownMinutes: 120,
    status: "enabled",
  },
  {
    name: "Death cross",
    condition: { type: "ma_cross", kind: "death" },
    scope: { kind: "all" },
    cooldownMinutes: 120,
    status: "enabled",
  },
  {
    name: "Close above EMA 20",
    condition: { type: "indicator_cross", indicator: "ema20", direction: "up" },
    scope: { kind: "all" },
    cooldownMinutes: 120,
    status: "enabled",
  },
];

/**
 * A webhook endpoint before the fill, so that the outbox trigger queues a delivery per alert; after it,
 * `settleBiDeliveries` gives them the states a relay would leave (no relay runs: the BI checks only read).
 */
export async function insertBiWebhookEndpoint(db: Db): Promise<void> {
  await insertWebhookEndpoint(db, {
    url: "https://hooks.example.com/tickstream",
    description: "BI check receiver",
    secret: createWebhookSecret(),
    ruleIds: [],
    symbols: [],
    isEnabled: true,
  });
}

/** Marks every other delivery delivered after one attempt and one failed after three. */
export async function settleBiDeliveries(db: Db): Promise<void> {
  await db.$client.query(`
    update webhook_deliveries
    set status = 'delivered', attempts = 1, last_attempt_at = created_at + interval '1 second',
        delivered_at = created_at + interval '1 second', last_http_status = 200
    where id % 2 = 0`);
  await db.$client.query(`
    update webhook_deliveries
    set status = 'failed', attempts = 3, last_attempt_at = created_at + interval '5 minutes',
        last_http_status = 503, last_error = 'HTTP 503'
    where id = (select min(id) from webhook_deliveries where id % 2 = 1)`);
}
