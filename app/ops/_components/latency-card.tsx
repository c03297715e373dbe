import { Card } from "@/components/ui/card";
import type { LatencySummary, OpsSnapshot } from "@/lib/events/ops-snapshot";
import { formatCount } from "@/lib/kpi/format";

function formatMs(value: number | null): string {
  if (value === null) return "—";
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function Row({
  label,
  summary,
  testId,
  emptyText,
}: {
  label: string;
  summary: LatencySummary;
  testId: string;
  emptyText: string;
}) {
  return (
    <div data-testid={testId} data-count={summary.count}>
      <div className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</div>
      {summary.count === 0 ? (
        <p className="text-sm text-slate-500">{emptyText}</p>
      ) : (
        <dl className="tabular grid grid-cols-3 gap-2">
          <div>
            <dt className="text-xs text-slate-500">p50</dt>
            <dd className="text-xl font-semibold">{formatMs(summary.p50Ms)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">p99</dt>
            <dd className="text-xl font-semibold">{formatMs(summary.p99Ms)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">updates</dt>
            <dd className="text-xl font-semibold">{formatCount(summary.count)}</dd>
          </div>
        </dl>
      )}
    </div>
  );
}

/** End-to-end latency as this web server sees it, over the last few minutes. */
export function LatencyCard({ latency }: { latency: OpsSnapshot["latency"] }) {
  return (
    <Card title={`Latency · last ${Math.round(latency.windowMs / 60_000)} min`} testId="ops-latency">
      <div className="space-y-4">
        <Row
          label="Published → relayed (stream worker's publish to this server)"
          summary={latency.publishedToRelayed}
          testId="ops-latency-published"
          emptyText="No update relayed in this window."
        />
        <Row
          label="Produced → relayed (tick produced to this server)"
          summary={latency.producedToRelayed}
          testId="ops-latency-produced"
          emptyText="No update in this window carried its tick's producedAt (Kafka header)."
        />
      </div>
    </Card>
  );
}
