"use client";

import { loadAlertsPage } from "@/components/alerts/alerts-client";
import { mergeAlerts } from "@/components/alerts/merge-alerts";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import type { AlertsPage } from "@/lib/events/api-alerts";

/** How many of the newest alerts the bell counts unread among. */
export const RECENT_ALERTS_LIMIT = 50;

const ALL = { symbol: null, ruleId: null };

/** The newest alerts, kept live by `alerts:changed` (a reload hint re-reads them). */
export function useRecentAlerts() {
  return useLiveResource<AlertsPage, "alerts:changed">({
    queryKey: ["alerts", "recent"],
    load: (signal) => loadAlertsPage({ limit: RECENT_ALERTS_LIMIT }, signal),
    event: "alerts:changed",
    merge: (page, delta) => {
      const alerts = mergeAlerts(page.alerts, delta.alerts, ALL, RECENT_ALERTS_LIMIT);
      return alerts === page.alerts ? page : { ...page, alerts };
    },
    reloadOn: (_page, delta) => delta.isReloadNeeded,
  });
}
