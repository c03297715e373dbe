import { redirect } from "next/navigation";

import { getAdminDeps, getCurrentAdminSession } from "@/app/(admin)/_data/admin-context";
import { AdminDisabled } from "@/components/admin/admin-disabled";
import { isAdminEnabled } from "@/lib/admin/admin-deps";
import { POLL_INTERVAL_MAX_SECONDS, POLL_INTERVAL_MIN_SECONDS } from "@/lib/events/api-admin-requests";
import { getAdminSymbolPage } from "@/lib/admin/admin-api";
import { toAuditEntryView } from "@/lib/admin/admin-views";
import { listAuditEntries } from "@/lib/db/queries/audit-log";
import { ADMIN_SYMBOLS_PAGE_LIMIT } from "@/lib/events/symbol-page";

import { AdminConsole } from "./_components/admin-console";

export const dynamic = "force-dynamic";
export const metadata = { title: "Symbols · Admin · Tickstream" };

const AUDIT_PAGE = 20;

/** Symbol management for a signed-in admin; anyone else is sent to the sign-in page. */
export default async function AdminPage() {
  const deps = getAdminDeps();
  if (!isAdminEnabled(deps))
    return <AdminDisabled reason={deps.config.isEnabled ? "no credentials" : deps.config.reason} />;
  const session = await getCurrentAdminSession();
  if (!session) redirect("/admin/login");
  const [symbolPage, auditRows] = await Promise.all([
    getAdminSymbolPage(deps, { q: null, limit: ADMIN_SYMBOLS_PAGE_LIMIT, cursor: undefined }),
    listAuditEntries(deps.db, { limit: AUDIT_PAGE + 1 }),
  ]);
  const page = auditRows.slice(0, AUDIT_PAGE);
  return (
    <AdminConsole
      username={session.username}
      csrfToken={session.csrfToken}
      bounds={{ min: POLL_INTERVAL_MIN_SECONDS, max: POLL_INTERVAL_MAX_SECONDS }}
      initialSymbols={symbolPage}
      initialAudit={{
        entries: page.map(toAuditEntryView),
        nextBefore: auditRows.length > AUDIT_PAGE ? (page[page.length - 1]?.id ?? null) : null,
      }}
      renderedAt={deps.clock()}
    />
  );
}
