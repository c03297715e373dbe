import type { SymbolStatus } from "@/lib/events/symbol";
import { cn } from "@/lib/utils";

const STYLES: Record<SymbolStatus, string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  paused: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  invalid: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  removed: "bg-slate-200 text-slate-600 dark:bg-slate-800 dark:text-slate-400",
};

export function SymbolStatusBadge({ status }: { status: SymbolStatus }) {
  return (
    <span
      data-testid="symbol-status"
      data-status={status}
      className={cn("inline-block rounded-full px-2 py-0.5 text-xs font-semibold capitalize", STYLES[status])}
    >
      {status}
    </span>
  );
}
