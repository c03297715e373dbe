import type { PipelineMonitor } from "@/lib/health/pipeline-monitor";

/**
 * Hands the pipeline monitor from server.ts to route handlers and pages, which Next loads as separate
 * modules: it lives on globalThis, set once by the web entrypoint (like lib/realtime/stats.ts).
 */
const KEY = Symbol.for("tickstream.pipelineMonitor");

export function setPipelineMonitor(monitor: PipelineMonitor | null): void {
  (globalThis as Record<symbol, unknown>)[KEY] = monitor;
}

/** The web process's monitor; null where none runs (a bare `next start` without server.ts). */
export function getPipelineMonitor(): PipelineMonitor | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as PipelineMonitor | undefined) ?? null;
}
