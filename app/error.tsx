"use client";

import Link from "next/link";

/** Shown when a page cannot be rendered (most often: PostgreSQL is unreachable). */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="mx-auto max-w-xl space-y-3 py-12" data-testid="error-page">
      <h1 className="text-2xl font-bold">This page could not load</h1>
      <p>
        Tickstream could not read its data. The usual cause is that PostgreSQL or Kafka is down; the{" "}
        <Link href="/health" className="text-brand underline">
          health page
        </Link>{" "}
        says which.
      </p>
      {error.digest && <p className="text-xs text-slate-500">Reference: {error.digest}</p>}
      <button type="button" onClick={reset} className="rounded-md bg-brand px-3 py-1.5 text-white">
        Try again
      </button>
    </div>
  );
}
