"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { AdminButton } from "@/components/admin/admin-button";
import { ApiResponseError, fetchJson } from "@/components/realtime/fetch-json";
import { signOutResponseSchema } from "@/lib/events/api-admin";
import { CSRF_HEADER } from "@/lib/events/api-admin-requests";

/** Whether an admin API call failed because the session is gone (expired, or signed out elsewhere). */
export const isSignedOut = (error: unknown) => error instanceof ApiResponseError && error.status === 401;

/** Who is signed in, and the way out: the same on every admin page. */
export function AdminSession({ username, csrfToken }: { username: string; csrfToken: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const signOut = async () => {
    setError(null);
    try {
      await fetchJson("/api/admin/session", signOutResponseSchema, {
        method: "DELETE",
        headers: { [CSRF_HEADER]: csrfToken },
      });
    } catch (e) {
      // A session that is already gone is signed out; any other failure may leave it valid, so the
      // admin is told and stays here rather than being shown the sign-in page while still signed in.
      if (!isSignedOut(e)) {
        setError(`Not signed out: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    router.replace("/admin/login");
    router.refresh();
  };
  return (
    <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
      <span className="text-slate-600 dark:text-slate-300">
        Signed in as{" "}
        <span className="font-semibold" data-testid="admin-user">
          {username}
        </span>
      </span>
      <AdminButton size="sm" onClick={() => void signOut()} data-testid="sign-out">
        Sign out
      </AdminButton>
      {error && (
        <span role="alert" className="text-red-700 dark:text-red-300" data-testid="sign-out-error">
          {error}
        </span>
      )}
    </div>
  );
}
