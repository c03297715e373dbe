import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";

import { AlertToasts } from "@/components/alerts/alert-toasts";
import { AlertsBell } from "@/components/alerts/alerts-bell";
import { QueryProvider } from "@/components/realtime/query-provider";
import { DisplayZoneProvider } from "@/components/ui/display-zone-provider";
import { DisplayZoneSwitch } from "@/components/ui/display-zone-switch";
import { THEME_SCRIPT, ThemeToggle } from "@/components/ui/theme-toggle";

import { getEnv } from "@/lib/env";

import "./globals.css";
import { NavLinks } from "@/components/ui/nav-links";

const NAV = [
  { href: "/", label: "Watchlist" },
  { href: "/health", label: "Health" },
  { href: "/ops", label: "Ops" },
  { href: "/alerts", label: "Alerts" },
  { href: "/admin", label: "Admin" },
];

export const metadata: Metadata = {
  title: "Tickstream",
  description: "Live market KPIs from a Kafka stream",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The CSP nonce proxy.ts made for this request; reading it renders every page per request.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Sets the theme class before first paint (see components/ui/theme-toggle.tsx). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          Skip to content
        </a>
        <DisplayZoneProvider deploymentTimeZone={getEnv().EXCHANGE_TIMEZONE}>
          {/* One query cache for the header's alerts bell and the page (components/alerts). */}
          <QueryProvider>
            <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
              <nav
                className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3"
                aria-label="Main"
              >
                <Link href="/" className="text-lg font-bold tracking-tight text-brand">
                  Tickstream
                </Link>
                <NavLinks links={NAV} match="section" linkClassName="text-sm" />
                <div className="ml-auto flex flex-wrap items-center gap-2">
                  <AlertsBell />
                  <DisplayZoneSwitch />
                  <ThemeToggle />
                </div>
              </nav>
            </header>
            <main id="main" className="mx-auto max-w-7xl px-4 py-6">
              {children}
            </main>
            <AlertToasts />
          </QueryProvider>
        </DisplayZoneProvider>
      </body>
    </html>
  );
}
