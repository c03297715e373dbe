import { Card } from "@/components/ui/card";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import { formatVolume } from "@/lib/kpi/format";
import { cn } from "@/lib/utils";

import { Sparkline } from "./sparkline";

/**
 * Lag of the stream worker per partition of the ticks topic: unapplied events now (bar scaled to the
 * largest), over the last minutes, and whether the stored offset moved in the last sample.
 */
export function PartitionsCard({ snapshot, className }: { snapshot: OpsSnapshot; className?: string }) {
  const { partitions, history } = snapshot;
  const maxLag = Math.max(1, ...partitions.map((p) => p.lag));
  return (
    <Card
      title={`Lag per partition · ${snapshot.topics.ticks}`}
      className={className}
      testId="ops-partitions"
    >
      {partitions.length === 0 ? (
        <p className="text-sm text-slate-500">No partition sampled yet.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Partition</th>
              <th className="py-1 font-medium">Lag (events)</th>
              <th className="py-1 font-medium">Last minutes</th>
              <th className="py-1 text-right font-medium">Offset / end</th>
              <th className="py-1 text-right font-medium">Progress</th>
            </tr>
          </thead>
          <tbody>
            {partitions.map((p) => (
              <tr
                key={p.partition}
                className="border-t border-slate-100 dark:border-slate-800"
                data-testid={`ops-partition-${p.partition}`}
                data-lag={p.lag}
                data-stalled={p.isStalled}
              >
                <td className="tabular py-1.5">{p.partition}</td>
                <td className="py-1.5">
                  <div className="flex items-center gap-2">
                    <span className="tabular w-16 text-right">{formatVolume(p.lag)}</span>
                    <span className="h-2 flex-1 rounded bg-slate-100 dark:bg-slate-800">
                      <span
                        className={cn("block h-2 rounded", p.isStalled ? "bg-down" : "bg-brand")}
                        style={{ width: `${(p.lag / maxLag) * 100}%` }}
                      />
                    </span>
                  </div>
                </td>
                <td className="py-1.5">
                  <Sparkline
                    values={history.map((h) => h.lag[String(p.partition)] ?? null)}
                    label={`lag of partition ${p.partition} over the last minutes`}
                    width={120}
                    height={24}
                    className={p.isStalled ? "text-down" : "text-brand"}
                  />
                </td>
                <td className="tabular py-1.5 text-right text-xs text-slate-500">
                  {formatVolume(p.storedOffset)} / {formatVolume(p.highWatermark)}
                </td>
                <td className="py-1.5 text-right text-xs">
                  {p.isStalled ? (
                    <span className="font-semibold text-down">
                      stalled {Math.round((p.stuckForMs ?? 0) / 1000)} s
                    </span>
                  ) : p.hasProgressed ? (
                    <span className="text-up">moving</span>
                  ) : p.lag === 0 ? (
                    <span className="text-slate-500">caught up</span>
                  ) : (
                    <span className="text-amber-600 dark:text-amber-400">waiting</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
