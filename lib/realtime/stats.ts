import type { RealtimeStats } from "@/lib/events/realtime-stats";

/**
 * Hands Socket.IO statistics from server.ts to route handlers (health, metrics), which Next loads as
 * separate modules: the getter lives on globalThis, set once by the web entrypoint.
 */
type StatsGetter = () => RealtimeStats;
const KEY = Symbol.for("tickstream.realtimeStats");

export function setRealtimeStats(getter: StatsGetter): void {
  (globalThis as Record<symbol, unknown>)[KEY] = getter;
}

export function getRealtimeStats(): RealtimeStats | null {
  const getter = (globalThis as Record<symbol, unknown>)[KEY] as StatsGetter | undefined;
  return getter ? getter() : null;
}
