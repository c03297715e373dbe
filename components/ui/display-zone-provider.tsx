"use client";

import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from "react";

import {
  DEFAULT_DISPLAY_ZONE,
  parseDisplayZone,
  resolveDisplayTimeZone,
  type DisplayZone,
} from "@/lib/kpi/format";

const STORAGE_KEY = "tickstream-display-zone";

type DisplayZoneContext = {
  zone: DisplayZone;
  /** The browser's IANA zone ("UTC" until the page is hydrated). */
  localTimeZone: string;
  /** The deployment's exchange zone (EXCHANGE_TIMEZONE): "exchange time" of times that belong to no symbol. */
  deploymentTimeZone: string;
  setZone: (zone: DisplayZone) => void;
};

const listeners = new Set<() => void>();
/** The choice when localStorage cannot be used (blocked storage): kept for this page only. */
let unstoredZone: DisplayZone | null = null;

function readStoredZone(): DisplayZone {
  if (unstoredZone) return unstoredZone;
  try {
    return parseDisplayZone(localStorage.getItem(STORAGE_KEY));
  } catch {
    return DEFAULT_DISPLAY_ZONE;
  }
}

function storeZone(zone: DisplayZone): void {
  try {
    localStorage.setItem(STORAGE_KEY, zone);
  } catch {
    unstoredZone = zone;
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab's choice arrives as a storage event: every open page follows it.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

const subscribeToNothing = () => () => undefined;
const readLocalTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const Context = createContext<DisplayZoneContext>({
  zone: DEFAULT_DISPLAY_ZONE,
  localTimeZone: "UTC",
  deploymentTimeZone: "UTC",
  setZone: storeZone,
});

/**
 * Shares the viewer's choice of display zone (persisted in localStorage). The server knows neither the
 * choice nor the browser's zone, so the server render and hydration use exchange time (the server
 * snapshot); React re-renders with the stored choice as soon as the page has hydrated, so the text the
 * server sent always matches the first client render and hydration never mismatches.
 */
export function DisplayZoneProvider({
  deploymentTimeZone,
  children,
}: {
  deploymentTimeZone: string;
  children: ReactNode;
}) {
  const zone = useSyncExternalStore(subscribe, readStoredZone, () => DEFAULT_DISPLAY_ZONE);
  const localTimeZone = useSyncExternalStore(subscribeToNothing, readLocalTimeZone, () => "UTC");
  const value = useMemo(
    () => ({ zone, localTimeZone, deploymentTimeZone, setZone: storeZone }),
    [zone, localTimeZone, deploymentTimeZone],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useDisplayZone(): DisplayZoneContext {
  return useContext(Context);
}

/**
 * The IANA zone to show times in, for times that belong to an exchange in `exchangeTimeZone` (the
 * deployment's EXCHANGE_TIMEZONE when omitted: pipeline times, audit entries).
 */
export function useDisplayTimeZone(exchangeTimeZone?: string): string {
  const { zone, localTimeZone, deploymentTimeZone } = useDisplayZone();
  return resolveDisplayTimeZone(zone, {
    exchange: exchangeTimeZone ?? deploymentTimeZone,
    local: localTimeZone,
  });
}
