import "server-only";

import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import { getPipelineMonitor } from "@/lib/health/monitor-registry";

/**
 * The pipeline monitor's newest snapshot (sampling once if it has none yet); null where no monitor
 * runs in this process.
 */
export async function getOpsSnapshot(): Promise<OpsSnapshot | null> {
  const monitor = getPipelineMonitor();
  if (!monitor) return null;
  return monitor.getSnapshot() ?? (await monitor.sampleNow());
}
