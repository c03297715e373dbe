"use client";

import { TIME_RANGE_LABELS, TIME_RANGES, type TimeRange } from "@/lib/kpi/time-range";
import { cn } from "@/lib/utils";

export function RangePicker({ value, onChange }: { value: TimeRange; onChange: (range: TimeRange) => void }) {
  return (
    <div role="radiogroup" aria-label="Time range" className="flex gap-1" data-testid="range-picker">
      {TIME_RANGES.map((r) => (
        <button
          key={r}
          type="button"
          role="radio"
          aria-checked={value === r}
          data-testid={`range-${r}`}
          onClick={() => onChange(r)}
          className={cn("rounded-md px-2.5 py-1 text-sm", value === r ? "bg-brand text-white" : "bg-slate-100 hover:bg-slate-200 dark:bg-slate-800 dark:hover:bg-slate-700")}
        >
          {TIME_RANGE_LABELS[r]}
        </button>
      ))}
    </div>
  );
}
