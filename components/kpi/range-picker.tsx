"use client";

import { SegmentedControl } from "@/components/ui/segmented-control";
import { TIME_RANGE_LABELS, TIME_RANGES, type TimeRange } from "@/lib/kpi/time-range";

const SEGMENTS = TIME_RANGES.map((r) => ({ value: r, label: TIME_RANGE_LABELS[r], testId: `range-${r}` }));

/** `value` null: a custom range is shown, no preset is chosen. */
export function RangePicker({
  value,
  onChange,
}: {
  value: TimeRange | null;
  onChange: (range: TimeRange) => void;
}) {
  return (
    <SegmentedControl
      segments={SEGMENTS}
      value={value}
      onChange={onChange}
      label="Time range"
      testId="range-picker"
    />
  );
}
