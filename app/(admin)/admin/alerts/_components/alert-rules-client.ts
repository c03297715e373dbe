import { fetchJson } from "@/components/realtime/fetch-json";
import type { AlertRuleInput, AlertRuleStatus } from "@/lib/events/alert-rule";
import { CSRF_HEADER } from "@/lib/events/api-admin-requests";
import {
  adminAlertRulesResponseSchema,
  alertRuleChangeResponseSchema,
  alertRuleDeleteResponseSchema,
} from "@/lib/events/api-alerts";

/** The admin's alert rule API calls; every change carries the session's CSRF token. */
export function createAlertRulesClient(csrfToken: string) {
  const headers = { [CSRF_HEADER]: csrfToken };
  const item = (id: number) => `/api/admin/alert-rules/${id}`;
  return {
    list: (signal?: AbortSignal) =>
      fetchJson("/api/admin/alert-rules", adminAlertRulesResponseSchema, { signal }),
    create: (input: AlertRuleInput) =>
      fetchJson("/api/admin/alert-rules", alertRuleChangeResponseSchema, {
        method: "POST",
        headers,
        body: input,
      }),
    update: (id: number, input: AlertRuleInput) =>
      fetchJson(item(id), alertRuleChangeResponseSchema, { method: "PUT", headers, body: input }),
    setStatus: (id: number, status: AlertRuleStatus) =>
      fetchJson(item(id), alertRuleChangeResponseSchema, { method: "PATCH", headers, body: { status } }),
    remove: (id: number) => fetchJson(item(id), alertRuleDeleteResponseSchema, { method: "DELETE", headers }),
  };
}

export type AlertRulesClient = ReturnType<typeof createAlertRulesClient>;
