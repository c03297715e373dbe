"use client";

import type { ConnectionState } from "@/components/realtime/use-connection-state";
import { cn } from "@/lib/utils";

const LABEL: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection-indicator"
      data-state={state}
      className="inline-flex items-center gap-2 text-sm"
    >
      <span
        aria-hidden
        className={cn(
          "h-2.5 w-2.5 rounded-full",
          state === "live"
            ? "animate-pulse bg-emerald-500"
            : state === "connecting"
              ? "bg-slate-400"
              : "bg-amber-500",
        )}
      />
      {LABEL[state]}
    </span>
  );
}
