"use client";

import { useMemo, useState, type FormEvent } from "react";

import { AdminNav } from "@/components/admin/admin-nav";
import { AdminSession } from "@/components/admin/admin-session";
import { AdminButton, inputClassName } from "@/components/admin/admin-button";
import { fetchJson } from "@/components/realtime/fetch-json";
import { Card } from "@/components/ui/card";
import { TableEmptyRow, TableScroll } from "@/components/ui/table-scroll";
import { parseRuleIdText } from "@/lib/events/alert-rule";
import { CSRF_HEADER } from "@/lib/events/api-admin-requests";
import {
  webhookDeliveriesResponseSchema,
  webhookEndpointsResponseSchema,
  webhookEndpointViewSchema,
  webhookSecretResponseSchema,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from "@/lib/events/webhook";
import { z } from "zod";

/** Deliveries the page lists (newest first). */
export const WEBHOOK_DELIVERIES_SHOWN = 50;

type Props = {
  username: string;
  csrfToken: string;
  initialEndpoints: WebhookEndpointView[];
  initialDeliveries: WebhookDeliveryView[];
};

type EndpointForm = { url: string; description: string; symbols: string; ruleIds: string };

/** The new endpoint form's fields, each labelled, with an example as its placeholder. */
const FORM_FIELDS: { key: keyof EndpointForm; label: string; placeholder: string; isWide?: boolean }[] = [
  { key: "url", label: "URL", placeholder: "https://hooks.example.com/alerts", isWide: true },
  { key: "description", label: "Description", placeholder: "Who receives it" },
  { key: "symbols", label: "Symbols", placeholder: "all if empty, e.g. AAPL MSFT" },
  { key: "ruleIds", label: "Rule ids", placeholder: "all if empty, e.g. 3 7" },
];

/** "AAPL, msft 7" → ["AAPL", "MSFT", "7"]: the filters are typed as comma or space separated lists. */
const splitList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");

const formatTs = (ms: number | null) =>
  ms === null ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);

function createWebhooksClient(csrfToken: string) {
  const headers = { [CSRF_HEADER]: csrfToken };
  const item = (id: number) => `/api/admin/webhooks/${id}`;
  return {
    list: () => fetchJson("/api/admin/webhooks", webhookEndpointsResponseSchema),
    deliveries: () =>
      fetchJson(
        `/api/admin/webhooks/deliveries?limit=${WEBHOOK_DELIVERIES_SHOWN}`,
        webhookDeliveriesResponseSchema,
      ),
    create: (body: { url: string; description: string; symbols: string[]; ruleIds: number[] }) =>
      fetchJson("/api/admin/webhooks", webhookSecretResponseSchema, { method: "POST", headers, body }),
    setEnabled: (id: number, isEnabled: boolean) =>
      fetchJson(item(id), z.object({ endpoint: webhookEndpointViewSchema }), {
        method: "PATCH",
        headers,
        body: { isEnabled },
      }),
    rotate: (id: number) =>
      fetchJson(`${item(id)}/rotate-secret`, webhookSecretResponseSchema, { method: "POST", headers }),
    remove: (id: number) =>
      fetchJson(item(id), z.object({ deleted: z.boolean() }), { method: "DELETE", headers }),
  };
}

/** Add, enable, disable, rotate and delete webhook endpoints; see how their deliveries went. */
export function WebhooksConsole({ username, csrfToken, initialEndpoints, initialDeliveries }: Props) {
  const client = useMemo(() => createWebhooksClient(csrfToken), [csrfToken]);
  const [endpoints, setEndpoints] = useState(initialEndpoints);
  const [deliveries, setDeliveries] = useState(initialDeliveries);
  const [secret, setSecret] = useState<{ endpointId: number; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [form, setForm] = useState<EndpointForm>({ url: "", description: "", symbols: "", ruleIds: "" });

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      const [list, recent] = await Promise.all([client.list(), client.deliveries()]);
      setEndpoints(list.endpoints);
      setDeliveries(recent.deliveries);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  function onCreate(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const ruleIds = splitList(form.ruleIds);
      const notIds = ruleIds.filter((id) => parseRuleIdText(id) === null);
      // Said here: sent as numbers they would arrive as null, and the API would name an array index.
      if (notIds.length > 0)
        throw new Error(`Rule ids: ${notIds.join(", ")} is not a rule id (the # number under Alert rules)`);
      const created = await client.create({
        url: form.url,
        description: form.description,
        symbols: splitList(form.symbols).map((s) => s.toUpperCase()),
        ruleIds: ruleIds.map(Number),
      });
      setSecret({ endpointId: created.endpoint.id, secret: created.secret });
      setForm({ url: "", description: "", symbols: "", ruleIds: "" });
    });
  }

  return (
    <div className="space-y-4" data-testid="webhooks-page">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-2xl font-bold">Webhooks</h1>
        <AdminNav />
        <AdminSession username={username} csrfToken={csrfToken} />
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="webhooks-error">
          {error}
        </p>
      )}
      {secret && (
        <Card title="Signing secret (shown once)" testId="webhook-secret">
          <p className="mb-2 text-sm">
            Endpoint {secret.endpointId}: copy this secret into the receiver now; it is not shown again.
          </p>
          <code className="block rounded bg-slate-100 p-2 text-sm break-all dark:bg-slate-800">
            {secret.secret}
          </code>
          <AdminButton size="sm" className="mt-2" onClick={() => setSecret(null)}>
            Done
          </AdminButton>
        </Card>
      )}
      <Card title="Add an endpoint">
        <form className="flex flex-wrap items-end gap-2" onSubmit={onCreate} data-testid="webhook-form">
          {FORM_FIELDS.map(({ key, label, placeholder, isWide }) => (
            <label
              key={key}
              className={`flex flex-col gap-1 text-sm font-medium ${isWide ? "min-w-72 flex-1" : ""}`}
            >
              {label}
              <input
                className={`${inputClassName} w-full font-normal`}
                placeholder={placeholder}
                value={form[key]}
                onChange={(e) => setForm({ ...form, [key]: e.target.value })}
                required={key === "url"}
              />
            </label>
          ))}
          <AdminButton type="submit" variant="primary" disabled={isBusy}>
            Add
          </AdminButton>
        </form>
      </Card>
      <Card title="Endpoints">
        <TableScroll>
          <table className="w-full text-left text-sm" data-testid="webhook-endpoints">
            <thead>
              <tr>
                <th>Id</th>
                <th>URL</th>
                <th>Description</th>
                <th>Filter</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {endpoints.length === 0 && (
                <TableEmptyRow colSpan={6} testId="no-endpoints">
                  No endpoint yet: add one above.
                </TableEmptyRow>
              )}
              {endpoints.map((e) => (
                <tr key={e.id} data-testid={`webhook-endpoint-${e.id}`}>
                  <td>{e.id}</td>
                  <td className="break-all">{e.url}</td>
                  <td>{e.description}</td>
                  <td>
                    {e.ruleIds.length ? `rules ${e.ruleIds.join(", ")}` : "all rules"} ·{" "}
                    {e.symbols.length ? e.symbols.join(", ") : "all symbols"}
                  </td>
                  <td>{e.isEnabled ? "enabled" : "disabled"}</td>
                  <td className="flex gap-1">
                    <AdminButton
                      size="sm"
                      disabled={isBusy}
                      onClick={() => void run(async () => void (await client.setEnabled(e.id, !e.isEnabled)))}
                    >
                      {e.isEnabled ? "Disable" : "Enable"}
                    </AdminButton>
                    <AdminButton
                      size="sm"
                      disabled={isBusy}
                      onClick={() =>
                        void run(async () => {
                          const rotated = await client.rotate(e.id);
                          setSecret({ endpointId: e.id, secret: rotated.secret });
                        })
                      }
                    >
                      Rotate secret
                    </AdminButton>
                    <AdminButton
                      size="sm"
                      variant="danger"
                      disabled={isBusy}
                      onClick={() => void run(async () => void (await client.remove(e.id)))}
                    >
                      Delete
                    </AdminButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Card>
      <Card
        title={`Newest ${WEBHOOK_DELIVERIES_SHOWN} deliveries`}
        actions={
          <AdminButton size="sm" disabled={isBusy} onClick={() => void run(() => Promise.resolve())}>
            Refresh
          </AdminButton>
        }
      >
        <TableScroll>
          <table className="w-full text-left text-sm" data-testid="webhook-deliveries">
            <thead>
              <tr>
                <th>Queued</th>
                <th>Endpoint</th>
                <th>Webhook id</th>
                <th>Type</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Last HTTP</th>
                <th>Last error</th>
                <th>Next attempt</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.length === 0 && (
                <TableEmptyRow colSpan={9} testId="no-deliveries">
                  No delivery yet: an alert that matches an enabled endpoint's filter queues one.
                </TableEmptyRow>
              )}
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{formatTs(d.createdAt)}</td>
                  <td>{d.endpointId}</td>
                  <td className="font-mono">{d.webhookId}</td>
                  <td>{d.eventType}</td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastHttpStatus ?? "–"}</td>
                  <td className="break-all">{d.lastError ?? "–"}</td>
                  <td>{formatTs(d.nextAttemptAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Card>
    </div>
  );
}
