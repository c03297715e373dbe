import { Card } from "@/components/ui/card";
import type { WorkerInstance } from "@/lib/events/ops-snapshot";
import { cn } from "@/lib/utils";

import { OpsTime } from "./ops-time";

/** Every worker instance with a heartbeat row: kind, where it runs, and how old its last beat is. */
export function WorkersCard({ workers, now }: { workers: readonly WorkerInstance[]; now: number }) {
  return (
    <Card title="Workers (heartbeats)" testId="ops-workers">
      {workers.length === 0 ? (
        <p className="text-sm text-slate-500">No worker has sent a heartbeat.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Kind</th>
              <th className="py-1 font-medium">Instance</th>
              <th className="py-1 font-medium">Started</th>
              <th className="py-1 text-right font-medium">Last beat</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <tr
                key={w.workerId}
                className="border-t border-slate-100 dark:border-slate-800"
                data-testid={`ops-worker-${w.kind}`}
                data-stale={w.isStale}
              >
                <td className="py-1.5 font-semibold">{w.kind}</td>
                <td className="py-1.5 text-xs text-slate-600 dark:text-slate-300">
                  {w.hostname} · pid {w.pid}
                </td>
                <td className="py-1.5 text-xs">
                  <OpsTime ts={w.startedAt} withDate />
                </td>
                <td className={cn("tabular py-1.5 text-right", w.isStale && "font-semibold text-down")}>
                  {w.ageSeconds.toFixed(1)} s ago{w.isStale ? " · stale" : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-2 text-xs text-slate-500">
        As of <OpsTime ts={now} />.
      </p>
    </Card>
  );
}
