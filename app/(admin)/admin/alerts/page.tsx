import { redirect } from "next/navigation";

import { getAdminDeps, getCurrentAdminSession } from "@/app/(admin)/_data/admin-context";
import { AdminDisabled } from "@/components/admin/admin-disabled";
import { isAdminEnabled } from "@/lib/admin/admin-deps";
import { listAdminAlertRules } from "@/lib/db/queries/alert-views";

import { AlertRulesConsole } from "./_components/alert-rules-console";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alert rules · Admin · Tickstream" };

/** Alert rule management for a signed-in admin; anyone else is sent to the sign-in page. */
export default async function AdminAlertsPage() {
  const deps = getAdminDeps();
  if (!isAdminEnabled(deps))
    return <AdminDisabled reason={deps.config.isEnabled ? "no credentials" : deps.config.reason} />;
  const session = await getCurrentAdminSession();
  if (!session) redirect("/admin/login");
  const rules = await listAdminAlertRules(deps.db);
  return (
    <AlertRulesConsole username={session.username} csrfToken={session.csrfToken} initialRules={{ rules }} />
  );
}
