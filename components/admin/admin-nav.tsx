import { NavLinks } from "@/components/ui/nav-links";

/** The admin section's pages, in the order every admin page's nav lists them. */
export const ADMIN_PAGES = [
  { href: "/admin", label: "Symbols" },
  { href: "/admin/alerts", label: "Alert rules" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/alerts", label: "Alert history" },
] as const;

/** The nav of every admin page: each page reachable from the others, the current one marked. */
export function AdminNav() {
  return (
    <nav aria-label="Admin" className="flex flex-wrap gap-3 text-sm" data-testid="admin-nav">
      <NavLinks links={ADMIN_PAGES} match="exact" />
    </nav>
  );
}
