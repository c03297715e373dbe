"use client";

import { useState, type FormEvent } from "react";

import { AdminButton, inputClassName } from "@/components/admin/admin-button";

type Props = {
  /** Signs in; resolves to null on success, else the message to show. */
  onSignIn: (username: string, password: string) => Promise<string | null>;
};

export function LoginForm({ onSignIn }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : "";
    };
    const message = await onSignIn(field("username"), field("password"));
    setBusy(false);
    if (message) setError(message);
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-4" data-testid="login-form" aria-busy={isBusy}>
      <label className="block text-sm font-medium">
        Username
        <input
          name="username"
          autoComplete="username"
          required
          defaultValue="admin"
          data-testid="login-username"
          className={`${inputClassName} mt-1 block w-full`}
        />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          data-testid="login-password"
          className={`${inputClassName} mt-1 block w-full`}
        />
      </label>
      {error && (
        <p
          role="alert"
          data-testid="login-error"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-900/30 dark:text-red-100"
        >
          {error}
        </p>
      )}
      <AdminButton
        type="submit"
        variant="primary"
        disabled={isBusy}
        data-testid="login-submit"
        className="w-full"
      >
        {isBusy ? "Signing in…" : "Sign in"}
      </AdminButton>
    </form>
  );
}
