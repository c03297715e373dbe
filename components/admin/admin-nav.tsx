"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The admin section's pages, in the order every admin page's nav lists them. */
export const ADMIN_PAGES = [
  { href: "/admin", label: "Symbols" },
  { href: "/admin/alerts", label: "Alert rules" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/alerts", label: "Alert history" },
] as const;

/** The nav of every admin page: each page reachable from the others, the current one marked. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="flex flex-wrap gap-3 text-sm" data-testid="admin-nav">
      {ADMIN_PAGES.map(({ href, label }) => {
        const isCurrent = pathname === href;
        return (
          <Link
            key={href}
            href={href}
            aria-current={isCurrent ? "page" : undefined}
            className={isCurrent ? "font-semibold" : "hover:underline"}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
