"use client";

import Link from "next/link";

import { countUnreadAlerts } from "@/components/alerts/alert-acks";
import { useAlertAcks } from "@/components/alerts/use-alert-acks";
import { RECENT_ALERTS_LIMIT, useRecentAlerts } from "@/components/alerts/use-recent-alerts";

/** The header's bell: how many of the newest alerts this browser has not acknowledged; opens /alerts. */
export function AlertsBell() {
  const recent = useRecentAlerts();
  const { acks } = useAlertAcks();
  const alerts = recent.data?.alerts ?? [];
  const unread = countUnreadAlerts(acks, alerts);
  const shown = unread >= RECENT_ALERTS_LIMIT ? `${RECENT_ALERTS_LIMIT}+` : String(unread);
  return (
    <Link
      href="/alerts"
      className="relative inline-flex h-8 w-8 items-center justify-center rounded-md border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      aria-label={unread ? `Alerts, ${shown} unread` : "Alerts, none unread"}
      data-testid="alerts-bell"
      data-unread={unread}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-4 w-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 && (
        <span
          className="absolute -top-1.5 -right-1.5 min-w-[1.25rem] rounded-full bg-red-600 px-1 text-center text-[0.65rem] leading-5 font-bold text-white"
          data-testid="alerts-unread"
        >
          {shown}
        </span>
      )}
    </Link>
  );
}
