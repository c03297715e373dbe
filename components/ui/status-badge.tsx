import type { ComponentStatus } from "@/lib/events/api-health";
import { cn } from "@/lib/utils";

const STYLE: Record<ComponentStatus, string> = {
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  degraded: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  down: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  unknown: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};
const WORDS: Record<ComponentStatus, string> = {
  ok: "OK",
  degraded: "Degraded",
  down: "Down",
  unknown: "Unknown",
};

export function StatusBadge({ status, testId }: { status: ComponentStatus; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={cn("rounded-full px-2.5 py-0.5 text-xs font-semibold", STYLE[status])}
    >
      {WORDS[status]}
    </span>
  );
}
