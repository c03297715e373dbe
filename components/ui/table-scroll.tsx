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
