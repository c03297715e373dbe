"use client";

import { cn } from "@/lib/utils";

export type Segment<T extends string | number> = { value: T; label: string; testId?: string };

/**
 * A row of mutually exclusive buttons (a radio group, or a tab list). Native buttons: Tab moves
 * between them, Enter or Space chooses.
 */
export function SegmentedControl<T extends string | number>({
  segments,
  value,
  onChange,
  label,
  role = "radiogroup",
  testId,
}: {
  segments: readonly Segment<T>[];
  value: T | null;
  onChange: (value: T) => void;
  label: string;
  role?: "radiogroup" | "tablist";
  testId?: string;
}) {
  const itemRole = role === "tablist" ? "tab" : "radio";
  return (
    <div role={role} aria-label={label} className="flex gap-1" data-testid={testId}>
      {segments.map((s) => (
        <button
          key={s.value}
          type="button"
          role={itemRole}
          {...(itemRole === "tab"
            ? { "aria-selected": value === s.value }
            : { "aria-checked": value === s.value })}
          data-testid={s.testId}
          onClick={() => onChange(s.value)}
          className={cn(
            "rounded-md px-2.5 py-1 text-sm",
            value === s.value
              ? "bg-brand text-white"
              : "bg-slate-100 hover:bg-slate-200 dark:bg-slate-800 dark:hover:bg-slate-700",
          )}
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
