import { fetchJson } from "@/components/realtime/fetch-json";
import { alertsPageSchema } from "@/lib/events/api-alerts";

/** GET /api/alerts with the history's filters; `before` pages back. */
export function loadAlertsPage(
  query: { limit: number; before?: number | null; symbol?: string | null; ruleId?: number | null },
  signal?: AbortSignal,
) {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.before) params.set("before", String(query.before));
  if (query.symbol) params.set("symbol", query.symbol);
  if (query.ruleId) params.set("rule", String(query.ruleId));
  return fetchJson(`/api/alerts?${params.toString()}`, alertsPageSchema, { signal });
}
