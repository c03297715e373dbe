"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { cn } from "@/lib/utils";

export type NavLinkItem = { href: string; label: string };

/**
 * Whether `href` is the page shown: the same path (`exact`), or also a page under it (`section`: /admin
 * for /admin/alerts). The root is only ever itself.
 */
export function isCurrentLink(pathname: string, href: string, match: "exact" | "section"): boolean {
  if (pathname === href) return true;
  return match === "section" && href !== "/" && pathname.startsWith(`${href}/`);
}

/** A nav's links, the current one marked for everyone: aria-current and a bold label. */
export function NavLinks({
  links,
  match,
  linkClassName,
}: {
  links: readonly NavLinkItem[];
  match: "exact" | "section";
  linkClassName?: string;
}) {
  const pathname = usePathname();
  return links.map(({ href, label }) => {
    const isCurrent = isCurrentLink(pathname, href, match);
    return (
      <Link
        key={href}
        href={href}
        aria-current={isCurrent ? "page" : undefined}
        className={cn(linkClassName, isCurrent ? "font-semibold" : "hover:underline")}
      >
        {label}
      </Link>
    );
  });
}
