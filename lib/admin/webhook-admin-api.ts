import { readJsonBody } from "@/lib/admin/admin-request";
import type { AdminDeps } from "@/lib/admin/admin-deps";
import {
  changeWebhookEndpoint,
  createWebhookEndpoint,
  removeWebhookEndpoint,
  rotateWebhookSecret,
  toWebhookDeliveryView,
  toWebhookEndpointView,
  type WebhookActor,
  type WebhookAdminDeps,
} from "@/lib/admin/webhook-admin";
import { withAdminApi, type SignedInRequest } from "@/lib/admin/with-admin-api";
import type { WebhookHostPolicy } from "@/lib/alerts/webhook-url";
import { ApiError } from "@/lib/api/errors";
import { listWebhookDeliveries } from "@/lib/db/queries/webhook-deliveries";
import { listWebhookEndpoints } from "@/lib/db/queries/webhook-endpoints";
import {
  createWebhookEndpointBodySchema,
  updateWebhookEndpointBodySchema,
  webhookDeliveriesQuerySchema,
  webhookIdParamSchema,
  type WebhookDeliveriesResponse,
  type WebhookEndpointsResponse,
  type WebhookEndpointView,
  type WebhookSecretResponse,
} from "@/lib/events/webhook";

type IdParams = { id: string };

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

function parseId(params: IdParams): number {
  const parsed = webhookIdParamSchema.safeParse(params.id);
  if (!parsed.success) throw new ApiError("bad_request", "the webhook id is a positive integer");
  return parsed.data;
}

const notFound = (id: number) => new ApiError("not_found", `no webhook endpoint ${id}`);

function toActor(req: SignedInRequest<unknown>): WebhookActor {
  return { username: req.session.username, clientIp: req.clientIp };
}

/**
 * The webhook endpoints' admin REST API (app/api/admin/webhooks/*): session and CSRF like every admin
 * route (withAdminApi), bodies validated with lib/events/webhook.ts, changes audited. `getHostPolicy`
 * is WEBHOOK_ALLOWED_HOSTS as the web process parsed it.
 */
export function createWebhookAdminApi(getDeps: () => AdminDeps, getHostPolicy: () => WebhookHostPolicy) {
  const useCaseDeps = (req: SignedInRequest<unknown>): WebhookAdminDeps => ({
    db: req.deps.db,
    clock: req.deps.clock,
    hostPolicy: getHostPolicy(),
  });
  return {
    /** GET /api/admin/webhooks */
    listEndpoints: withAdminApi(getDeps, async ({ deps }) => {
      const rows = await listWebhookEndpoints(deps.db);
      return json({ endpoints: rows.map(toWebhookEndpointView) } satisfies WebhookEndpointsResponse);
    }),

    /** POST /api/admin/webhooks: 201 with the endpoint and its secret (shown once). */
    createEndpoint: withAdminApi(getDeps, async (req) => {
      const body = await readJsonBody(req.request, createWebhookEndpointBodySchema);
      const created = await createWebhookEndpoint(useCaseDeps(req), toActor(req), body);
      return json(created satisfies WebhookSecretResponse, 201);
    }),

    /** PATCH /api/admin/webhooks/[id]: enable, disable, describe, filter. */
    updateEndpoint: withAdminApi<IdParams>(getDeps, async (req) => {
      const id = parseId(req.params);
      const body = await readJsonBody(req.request, updateWebhookEndpointBodySchema);
      const endpoint = await changeWebhookEndpoint(useCaseDeps(req), toActor(req), id, body);
      if (!endpoint) throw notFound(id);
      return json({ endpoint } satisfies { endpoint: WebhookEndpointView });
    }),

    /** DELETE /api/admin/webhooks/[id] */
    deleteEndpoint: withAdminApi<IdParams>(getDeps, async (req) => {
      const id = parseId(req.params);
      if (!(await removeWebhookEndpoint(useCaseDeps(req), toActor(req), id))) throw notFound(id);
      return json({ deleted: true });
    }),

    /** POST /api/admin/webhooks/[id]/rotate-secret: the new secret (shown once). */
    rotateSecret: withAdminApi<IdParams>(getDeps, async (req) => {
      const id = parseId(req.params);
      const rotated = await rotateWebhookSecret(useCaseDeps(req), toActor(req), id);
      if (!rotated) throw notFound(id);
      return json(rotated satisfies WebhookSecretResponse);
    }),

    /** GET /api/admin/webhooks/deliveries?endpointId=&status=&limit=&before=: delivery status, newest first. */
    listDeliveries: withAdminApi(getDeps, async ({ request, deps }) => {
      const query = webhookDeliveriesQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
      const rows = await listWebhookDeliveries(deps.db, {
        limit: query.limit + 1,
        endpointId: query.endpointId,
        status: query.status,
        beforeId: query.before,
      });
      const page = rows.slice(0, query.limit);
      return json({
        deliveries: page.map(toWebhookDeliveryView),
        nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
      } satisfies WebhookDeliveriesResponse);
    }),
  };
}

export type WebhookAdminApi = ReturnType<typeof createWebhookAdminApi>;
