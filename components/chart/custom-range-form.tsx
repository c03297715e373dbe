"use client";

import { useId, useState, type FormEvent } from "react";

import type { CustomRange } from "@/components/chart/use-range-bars";

/** Two trading dates (both included) replacing the preset range; the API checks and explains them. */
export function CustomRangeForm({
  value,
  onApply,
}: {
  value: CustomRange | null;
  onApply: (range: CustomRange) => void;
}) {
  const id = useId();
  const [from, setFrom] = useState(value?.from ?? "");
  const [to, setTo] = useState(value?.to ?? "");
  const isValid = from !== "" && to !== "" && from <= to;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (isValid) onApply({ from, to });
  };
  return (
    <form
      onSubmit={submit}
      className="flex items-center gap-1 text-sm"
      data-testid="custom-range"
      aria-label="Custom range"
    >
      <label htmlFor={`${id}-from`} className="sr-only">
        From
      </label>
      <input
        id={`${id}-from`}
        type="date"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        data-testid="custom-range-from"
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 dark:border-slate-700 dark:bg-slate-900"
      />
      <span aria-hidden>–</span>
      <label htmlFor={`${id}-to`} className="sr-only">
        To
      </label>
      <input
        id={`${id}-to`}
        type="date"
        value={to}
        min={from || undefined}
        onChange={(e) => setTo(e.target.value)}
        data-testid="custom-range-to"
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 dark:border-slate-700 dark:bg-slate-900"
      />
      <button
        type="submit"
        disabled={!isValid}
        data-testid="custom-range-apply"
        className="rounded-md bg-slate-100 px-2 py-1 hover:bg-slate-200 disabled:opacity-40 dark:bg-slate-800 dark:hover:bg-slate-700"
      >
        Apply
      </button>
    </form>
  );
}
