import { redirect } from "next/navigation";

import { getAdminDeps, getCurrentAdminSession } from "@/app/(admin)/_data/admin-context";
import { AdminDisabled } from "@/components/admin/admin-disabled";
import { Card } from "@/components/ui/card";
import { isAdminEnabled } from "@/lib/admin/admin-deps";

import { LoginView } from "../_components/login-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Admin · Tickstream" };

export default async function AdminLoginPage() {
  const deps = getAdminDeps();
  if (!isAdminEnabled(deps))
    return <AdminDisabled reason={deps.config.isEnabled ? "no credentials" : deps.config.reason} />;
  if (await getCurrentAdminSession()) redirect("/admin");
  return (
    <Card className="mx-auto mt-8 max-w-sm" testId="login-card">
      <h1 className="mb-1 text-xl font-bold">Sign in to admin</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        Manage the tickers Tickstream follows.
      </p>
      <LoginView />
    </Card>
  );
}
