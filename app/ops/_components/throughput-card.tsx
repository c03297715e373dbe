import { Card } from "@/components/ui/card";
import { PIPELINE_STAGES, type OpsSnapshot, type PipelineStage } from "@/lib/events/ops-snapshot";

import { Sparkline } from "./sparkline";

const STAGES: Record<PipelineStage, { label: string; detail: string }> = {
  produced: { label: "Produced", detail: "ticks reaching Kafka" },
  applied: { label: "Applied", detail: "ticks committed to PostgreSQL" },
  published: { label: "Published", detail: "KPI updates to Kafka" },
  emitted: { label: "Relayed", detail: "updates sent to browsers by this server" },
  deadLettered: { label: "Dead letters", detail: "events refused" },
};

export function formatRate(value: number | null): string {
  if (value === null) return "—";
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** Events per second of each stage, left to right in pipeline order, with the last minutes as a line. */
export function ThroughputCard({ snapshot }: { snapshot: OpsSnapshot }) {
  return (
    <Card title="Throughput (events per second, last ~10 s)" testId="ops-throughput">
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
        {PIPELINE_STAGES.map((stage) => (
          <div key={stage} data-testid={`ops-rate-${stage}`} data-value={snapshot.throughput[stage] ?? ""}>
            <div className="text-xs font-medium text-slate-500 dark:text-slate-400">
              {STAGES[stage].label}
            </div>
            <div className="tabular text-2xl font-semibold">
              {formatRate(snapshot.throughput[stage])}
              <span className="ml-1 text-xs font-normal text-slate-500">/s</span>
            </div>
            <Sparkline
              values={snapshot.history.map((h) => h.rates[stage])}
              label={`${STAGES[stage].label} per second over the last minutes`}
              className={stage === "deadLettered" ? "text-down" : "text-brand"}
            />
            <div className="text-xs text-slate-500">{STAGES[stage].detail}</div>
          </div>
        ))}
      </div>
    </Card>
  );
}
