"use client";

import { useRouter } from "next/navigation";

import { LoginForm } from "@/components/admin/login-form";

import { signIn } from "./admin-client";

/** The sign-in form, wired to POST /api/admin/session; on success the admin page loads. */
export function LoginView() {
  const router = useRouter();
  return (
    <LoginForm
      onSignIn={async (username, password) => {
        try {
          await signIn({ username, password });
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
        router.replace("/admin");
        router.refresh();
        return null;
      }}
    />
  );
}
