import { parseSearchParams, withApi } from "@/lib/api/with-api";
import type { Db, DbOrTx } from "@/lib/db/client";
import { listAlertRuleOptions, listAlertViews } from "@/lib/db/queries/alert-views";
import { alertsQuerySchema, type AlertsPage, type AlertsQuery } from "@/lib/events/api-alerts";

/** One page of the alert history, newest first, with the rules the panel's filter offers. */
export async function getAlertsPage(db: DbOrTx, query: AlertsQuery): Promise<AlertsPage> {
  const [rows, rules] = await Promise.all([
    listAlertViews(db, {
      limit: query.limit + 1,
      beforeId: query.before,
      symbol: query.symbol,
      ruleId: query.rule,
    }),
    listAlertRuleOptions(db),
  ]);
  const alerts = rows.slice(0, query.limit);
  return {
    alerts,
    nextBefore: rows.length > query.limit ? (alerts[alerts.length - 1]?.id ?? null) : null,
    rules,
  };
}

/** The public alerts API, framework-free: route files export its members, tests pass their own db. */
export function createAlertsApi(getDb: () => Db) {
  return {
    /** GET /api/alerts?limit=50&before=<id>&symbol=AAPL&rule=<id> */
    list: withApi(async (request) => {
      const query = parseSearchParams(request, (p) => alertsQuerySchema.parse(p));
      return Response.json((await getAlertsPage(getDb(), query)) satisfies AlertsPage);
    }),
  };
}
