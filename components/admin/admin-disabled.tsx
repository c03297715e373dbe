import { Card } from "@/components/ui/card";

/** Shown instead of admin when the server runs without credentials in production. */
export function AdminDisabled({ reason }: { reason: string }) {
  return (
    <Card testId="admin-disabled" className="mx-auto max-w-xl">
      <h1 className="text-xl font-bold">Admin is disabled</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        This server runs in production without admin credentials, so nobody can sign in:{" "}
        <span className="font-medium">{reason}</span>.
      </p>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">
          npm run admin:hash-password -- &lt;password&gt;
        </code>{" "}
        prints an ADMIN_PASSWORD_HASH value;{" "}
        <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">openssl rand -hex 32</code> makes a
        SESSION_SECRET.
      </p>
    </Card>
  );
}
