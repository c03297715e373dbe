"use client";

import { useCallback, useSyncExternalStore } from "react";

import {
  acknowledgeAlert,
  acknowledgeAllAlerts,
  ALERT_ACKS_STORAGE_KEY,
  NO_ACKS,
  parseAlertAcks,
  type AlertAcks,
} from "@/components/alerts/alert-acks";
import type { AlertView } from "@/lib/events/api-alerts";

// This browser's acknowledgements (components/alerts/alert-acks.ts says why per browser), shared by
// the bell, the toasts and the history of every tab: a change in one tab reaches the others through
// the `storage` event.

const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cached: AlertAcks = NO_ACKS;

function read(): AlertAcks {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(ALERT_ACKS_STORAGE_KEY);
  } catch {
    // Storage refused (private mode, policy): acknowledgements last as long as the page.
    return cached;
  }
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cached = parseAlertAcks(raw);
  }
  return cached;
}

function write(next: AlertAcks): void {
  cached = next;
  try {
    cachedRaw = JSON.stringify(next);
    window.localStorage.setItem(ALERT_ACKS_STORAGE_KEY, cachedRaw);
  } catch {
    cachedRaw = undefined;
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === ALERT_ACKS_STORAGE_KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useAlertAcks() {
  const acks = useSyncExternalStore(subscribe, read, () => NO_ACKS);
  const acknowledge = useCallback((id: number) => write(acknowledgeAlert(read(), id)), []);
  const acknowledgeAll = useCallback(
    (alerts: readonly Pick<AlertView, "id">[]) => write(acknowledgeAllAlerts(read(), alerts)),
    [],
  );
  return { acks, acknowledge, acknowledgeAll };
}
