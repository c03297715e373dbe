"use client";

import { useState, type FormEvent } from "react";

import { AdminButton, inputClassName } from "@/components/admin/admin-button";
import type { PollIntervalBounds } from "@/lib/events/api-admin";
import type { AdminSymbol } from "@/lib/events/api-admin";
import { cn } from "@/lib/utils";

/**
 * A symbol's poll interval, with an inline editor (5..3600 s) behind "edit"; none for removed symbols.
 * Only for symbols whose source polls (isPollingSource): the symbols table shows "not polled" instead.
 */
export function PollIntervalEditor({
  row,
  bounds,
  isBusy,
  onSave,
}: {
  row: AdminSymbol;
  bounds: PollIntervalBounds;
  isBusy: boolean;
  onSave: (seconds: number) => Promise<boolean>;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null || row.status === "removed") {
    return (
      <span className="inline-flex items-center gap-1.5">
        <span data-testid="symbol-interval" className="tabular">
          {row.pollIntervalSeconds} s
        </span>
        {row.status !== "removed" && (
          <button
            type="button"
            onClick={() => setDraft(String(row.pollIntervalSeconds))}
            disabled={isBusy}
            className="text-xs text-brand hover:underline disabled:opacity-50"
            data-testid="symbol-interval-edit"
            aria-label={`Change the poll interval of ${row.symbol}`}
          >
            edit
          </button>
        )}
      </span>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSave(Number(draft))) setDraft(null);
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="inline-flex items-center gap-1">
      <input
        type="number"
        min={bounds.min}
        max={bounds.max}
        step={1}
        required
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        aria-label={`Poll interval of ${row.symbol} in seconds`}
        data-testid="symbol-interval-input"
        className={cn(inputClassName, "w-20 px-1.5 py-0.5")}
        autoFocus
      />
      <AdminButton
        type="submit"
        size="sm"
        variant="primary"
        disabled={isBusy}
        data-testid="symbol-interval-save"
      >
        Save
      </AdminButton>
      <AdminButton size="sm" onClick={() => setDraft(null)}>
        Cancel
      </AdminButton>
    </form>
  );
}
