import { getDb } from "@/app/_data/server-context";
import { AlertsHistory, ALERTS_HISTORY_LIMIT } from "@/components/alerts/alerts-history";
import { getAlertsPage } from "@/lib/api/alerts-api";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alerts · Tickstream" };

/** The alert history every viewer sees; the server renders the newest page, the browser keeps it live. */
export default async function AlertsPage() {
  const initial = await getAlertsPage(getDb(), { limit: ALERTS_HISTORY_LIMIT });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Alerts</h1>
      <AlertsHistory initial={initial} />
    </div>
  );
}
