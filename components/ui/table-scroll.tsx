import type { ReactNode } from "react";

import { cn } from "@/lib/utils";

/**
 * A wide table's horizontal scroll box: on a narrow screen the table scrolls inside it, never the page.
 * Positioned, so that the table's absolutely positioned parts (screen-reader-only header text) stay in
 * the box too; without it they escaped to the page and made the whole page scroll sideways on a phone.
 */
export function TableScroll({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("relative overflow-x-auto", className)}>{children}</div>;
}

/** The one row of a table with no rows yet, saying so (and what would fill it) across every column. */
export function TableEmptyRow({
  colSpan,
  testId,
  children,
}: {
  colSpan: number;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <tr>
      <td colSpan={colSpan} className="py-3 text-slate-500 dark:text-slate-400" data-testid={testId}>
        {children}
      </td>
    </tr>
  );
}
