import { z } from "zod";

import { alertEventSchema } from "@/lib/events/alert-event";
import { symbolSchema } from "@/lib/events/symbol";

// The shapes of webhook delivery (issue 16): what a receiver gets, what an admin sends to manage
// endpoints (app/api/admin/webhooks) and what the admin API answers.

/** A delivery's kind: the event fired (first time, fired again, values revised) or a revision undid it. */
export const webhookEventTypeSchema = z.enum(["alert.fired", "alert.retracted"]);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

export const webhookDeliveryStatusSchema = z.enum(["pending", "delivered", "failed"]);
export type WebhookDeliveryStatus = z.infer<typeof webhookDeliveryStatusSchema>;

/**
 * The JSON body POSTed to an endpoint, in the Standard Webhooks layout (type, timestamp, data). `data`
 * is the alert event as of this revision with its rule's name; `timestamp` is when that revision was
 * written (ISO 8601). The database builds it (drizzle/0008_webhook_outbox.sql), the relay parses it.
 */
export const webhookPayloadSchema = z.strictObject({
  type: webhookEventTypeSchema,
  timestamp: z.iso.datetime({ offset: true }),
  data: alertEventSchema.extend({ ruleName: z.string() }),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** Longest URL an endpoint may have. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;
/** Most rules or symbols an endpoint's filter may list. */
export const MAX_WEBHOOK_FILTER_ITEMS = 500;

/**
 * An endpoint's URL: absolute http(s), no credentials in it (they would sit in logs and the admin
 * page; the signature authenticates). Whether the host may be reached is decided on the server
 * (lib/alerts/webhook-url.ts: private addresses and WEBHOOK_ALLOWED_HOSTS).
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(MAX_WEBHOOK_URL_LENGTH)
  .refine((value) => URL.canParse(value), "an absolute URL such as https://example.com/hooks/alerts")
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || url.protocol === "http:" || url.protocol === "https:";
  }, "http:// or https:// only")
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || (url.username === "" && url.password === "");
  }, "no user name or password in the URL (the signature authenticates each delivery)");

const ruleIdsSchema = z.array(z.number().int().positive()).max(MAX_WEBHOOK_FILTER_ITEMS);
const filterSymbolsSchema = z.array(symbolSchema).max(MAX_WEBHOOK_FILTER_ITEMS);

/** POST /api/admin/webhooks. Empty (or absent) `ruleIds` / `symbols`: every rule / every symbol. */
export const createWebhookEndpointBodySchema = z.strictObject({
  url: webhookUrlSchema,
  description: z.string().trim().max(200).default(""),
  ruleIds: ruleIdsSchema.default([]),
  symbols: filterSymbolsSchema.default([]),
  isEnabled: z.boolean().default(true),
});
export type CreateWebhookEndpointBody = z.infer<typeof createWebhookEndpointBodySchema>;

/** PATCH /api/admin/webhooks/[id]: enable or disable, and change the description or the filter. */
export const updateWebhookEndpointBodySchema = z
  .strictObject({
    description: z.string().trim().max(200).optional(),
    ruleIds: ruleIdsSchema.optional(),
    symbols: filterSymbolsSchema.optional(),
    isEnabled: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), "nothing to change");
export type UpdateWebhookEndpointBody = z.infer<typeof updateWebhookEndpointBodySchema>;

/** The `[id]` of a webhook route. */
export const webhookIdParamSchema = z.coerce.number().int().positive();

/** An endpoint as the admin API shows it: never its secret, which is shown once on create and rotate. */
export const webhookEndpointViewSchema = z.object({
  id: z.number().int().positive(),
  url: z.string(),
  description: z.string(),
  isEnabled: z.boolean(),
  ruleIds: z.array(z.number().int()),
  symbols: z.array(z.string()),
  /** While set and in the future, deliveries are signed with the previous secret too. */
  previousSecretExpiresAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type WebhookEndpointView = z.infer<typeof webhookEndpointViewSchema>;

/** POST /api/admin/webhooks and POST …/[id]/rotate-secret: the endpoint and its new secret, once. */
export const webhookSecretResponseSchema = z.object({
  endpoint: webhookEndpointViewSchema,
  secret: z.string(),
});
export type WebhookSecretResponse = z.infer<typeof webhookSecretResponseSchema>;

export const webhookEndpointsResponseSchema = z.object({ endpoints: z.array(webhookEndpointViewSchema) });
export type WebhookEndpointsResponse = z.infer<typeof webhookEndpointsResponseSchema>;

/** One delivery's state as the admin API shows it; `webhookId` is the header (the dedupe key). */
export const webhookDeliveryViewSchema = z.object({
  id: z.number().int().positive(),
  endpointId: z.number().int().positive(),
  alertEventId: z.number().int().positive(),
  eventRevision: z.number().int().positive(),
  eventType: webhookEventTypeSchema,
  webhookId: z.string(),
  status: webhookDeliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number().int().nullable(),
  lastAttemptAt: z.number().int().nullable(),
  lastHttpStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.number().int().nullable(),
  createdAt: z.number().int(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;

/** GET /api/admin/webhooks/deliveries?endpointId=&status=&limit=&before=: newest first. */
export const webhookDeliveriesQuerySchema = z.object({
  endpointId: z.coerce.number().int().positive().optional(),
  status: webhookDeliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});
export type WebhookDeliveriesQuery = z.infer<typeof webhookDeliveriesQuerySchema>;

export const webhookDeliveriesResponseSchema = z.object({
  deliveries: z.array(webhookDeliveryViewSchema),
  nextBefore: z.number().int().nullable(),
});
export type WebhookDeliveriesResponse = z.infer<typeof webhookDeliveriesResponseSchema>;
