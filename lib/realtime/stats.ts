/**
 * Hands Socket.IO statistics from server.ts to route handlers (health, metrics), which Next loads as
 * separate modules: the getter lives on globalThis, set once by the web entrypoint.
 */
type StatsGetter = () => Record<string, unknown>;
const KEY = Symbol.for("tickstream.realtimeStats");

export function setRealtimeStats(getter: StatsGetter): void {
  (globalThis as Record<symbol, unknown>)[KEY] = getter;
}

export function getRealtimeStats(): Record<string, unknown> | null {
  const getter = (globalThis as Record<symbol, unknown>)[KEY] as StatsGetter | undefined;
  return getter ? getter() : null;
}
