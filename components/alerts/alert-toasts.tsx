"use client";

import { useEffect, useRef, useState } from "react";

import { isAlertAcknowledged } from "@/components/alerts/alert-acks";
import { describeAlertValues } from "@/components/alerts/describe-alert";
import { useAlertAcks } from "@/components/alerts/use-alert-acks";
import { getLiveSocket } from "@/components/realtime/socket";
import { formatAlertDedupeKey } from "@/lib/events/alert-event";
import type { AlertsDelta, AlertView } from "@/lib/events/api-alerts";
import { cn } from "@/lib/utils";

/** How long a toast stays (ms); the alert stays in the history and the bell's count. */
const TOAST_MS = 12_000;
/** Most toasts on screen; older ones make room (a burst is in the history). */
const MAX_TOASTS = 4;

type Toast = { key: string; alert: AlertView };

/**
 * A notification for each alert that fires (or is retracted) while the page is open. The region is a
 * polite live region (role=status): screen readers announce each toast without interrupting.
 */
export function AlertToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const { acks, acknowledge } = useAlertAcks();
  const acksRef = useRef(acks);
  useEffect(() => {
    acksRef.current = acks;
  }, [acks]);

  useEffect(() => {
    const socket = getLiveSocket();
    const onAlerts = (delta: AlertsDelta) => {
      const fresh = delta.alerts
        .filter((a) => !isAlertAcknowledged(acksRef.current, a.id))
        .map((alert) => ({ key: formatAlertDedupeKey(alert), alert }));
      if (fresh.length === 0) return;
      setToasts((current) => {
        const keys = new Set(current.map((t) => t.key));
        return [...current, ...fresh.filter((t) => !keys.has(t.key))].slice(-MAX_TOASTS);
      });
    };
    socket.on("alerts:changed", onAlerts);
    return () => {
      socket.off("alerts:changed", onAlerts);
    };
  }, []);

  useEffect(() => {
    if (toasts.length === 0) return;
    const timer = setTimeout(() => setToasts((current) => current.slice(1)), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toasts]);

  const dismiss = (key: string) => setToasts((current) => current.filter((t) => t.key !== key));

  return (
    <div
      role="status"
      aria-live="polite"
      aria-label="Alert notifications"
      className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2"
      data-testid="alert-toasts"
    >
      {toasts.map(({ key, alert }) => {
        const isRetracted = alert.retractedAt !== null;
        return (
          <div
            key={key}
            className={cn(
              "pointer-events-auto rounded-lg border p-3 text-sm shadow-lg",
              isRetracted
                ? "border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
                : "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50",
            )}
            data-testid="alert-toast"
            data-alert-id={alert.id}
            data-retracted={isRetracted}
          >
            <p className="font-semibold wrap-anywhere">
              {isRetracted ? "Retracted · " : "Alert · "}
              {alert.symbol} · {alert.ruleName}
            </p>
            <p className="mt-0.5 text-xs opacity-80">{describeAlertValues(alert.values)}</p>
            <div className="mt-2 flex gap-2">
              {!isRetracted && (
                <button
                  type="button"
                  className="rounded border border-current px-2 py-0.5 text-xs font-medium"
                  onClick={() => {
                    acknowledge(alert.id);
                    dismiss(key);
                  }}
                  data-testid="alert-toast-ack"
                >
                  Acknowledge
                </button>
              )}
              <button type="button" className="px-2 py-0.5 text-xs underline" onClick={() => dismiss(key)}>
                Dismiss
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}
