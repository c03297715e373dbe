"use client";

import { useEffect, useRef } from "react";

import { getLiveSocket } from "@/components/realtime/socket";
import type { LiveEvent, LiveEventName } from "@/components/realtime/use-live-resource";
import { createThrottledPass } from "@/lib/throttled-pass";
import type { ServerToClientEvents } from "@/lib/realtime/events";

export type ThrottledReloadOptions<E extends LiveEventName> = {
  /** The Socket.IO event to watch (the resource merges it as usual: this only adds reads). */
  event: E;
  /** Whether an event leaves what the page holds only roughly right, so that it is read again. */
  isDue: (event: LiveEvent<E>) => boolean;
  /** Reads the resource again (useLiveResource's `reload`). */
  reload: () => Promise<void>;
  /** Least time between the starts of two reads. */
  intervalMs: number;
};

/**
 * Reads a live resource again after events that it merged but that left something out, when reading
 * it is too dear to do on every one of them: the first such event after a quiet spell is read at
 * once, the ones during the next `intervalMs` by one read after it, so the last is never left unread.
 * One read at a time; none after the page has gone.
 */
export function useThrottledReload<E extends LiveEventName>(options: ThrottledReloadOptions<E>): void {
  const { event, intervalMs } = options;
  // The listener lives as long as the event; it reads the newest callbacks through this ref.
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    let isDue = false;
    let isStopped = false;
    const reads = createThrottledPass({
      intervalMs,
      hasWork: () => isDue && !isStopped,
      pass: async () => {
        isDue = false;
        if (!isStopped) await latest.current.reload();
      },
      onError: () => {}, // a failed read shows in the resource's `error`
    });
    const socket = getLiveSocket();
    const onEvent = (payload: LiveEvent<E>) => {
      if (!latest.current.isDue(payload)) return;
      isDue = true;
      reads.kick();
    };
    // socket.io's typed `on` cannot follow a generic event name to its listener type.
    const name: LiveEventName = event;
    const listener = onEvent as unknown as ServerToClientEvents[LiveEventName];
    socket.on(name, listener);
    return () => {
      isStopped = true;
      socket.off(name, listener);
    };
  }, [event, intervalMs]);
}
