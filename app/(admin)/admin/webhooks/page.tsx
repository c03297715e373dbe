import { redirect } from "next/navigation";

import { getAdminDeps, getCurrentAdminSession } from "@/app/(admin)/_data/admin-context";
import { AdminDisabled } from "@/components/admin/admin-disabled";
import { isAdminEnabled } from "@/lib/admin/admin-deps";
import { toWebhookDeliveryView, toWebhookEndpointView } from "@/lib/admin/webhook-admin";
import { listWebhookDeliveries } from "@/lib/db/queries/webhook-deliveries";
import { listWebhookEndpoints } from "@/lib/db/queries/webhook-endpoints";

import { WEBHOOK_DELIVERIES_SHOWN, WebhooksConsole } from "./_components/webhooks-console";

export const dynamic = "force-dynamic";
export const metadata = { title: "Webhooks · Admin · Tickstream" };

/** Webhook endpoints and their delivery status for a signed-in admin; anyone else is sent to sign in. */
export default async function WebhooksPage() {
  const deps = getAdminDeps();
  if (!isAdminEnabled(deps))
    return <AdminDisabled reason={deps.config.isEnabled ? "no credentials" : deps.config.reason} />;
  const session = await getCurrentAdminSession();
  if (!session) redirect("/admin/login");
  const [endpoints, deliveries] = await Promise.all([
    listWebhookEndpoints(deps.db),
    listWebhookDeliveries(deps.db, { limit: WEBHOOK_DELIVERIES_SHOWN }),
  ]);
  return (
    <WebhooksConsole
      username={session.username}
      csrfToken={session.csrfToken}
      initialEndpoints={endpoints.map(toWebhookEndpointView)}
      initialDeliveries={deliveries.map(toWebhookDeliveryView)}
    />
  );
}
