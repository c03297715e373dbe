import { Card } from "@/components/ui/card";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";

import { OpsTime } from "./ops-time";
import { formatCount } from "@/lib/kpi/format";

/** Dead letters: the total on the DLQ topic, counts by reason and the last reasons seen here. */
export function DeadLettersCard({
  deadLetters,
  now,
}: {
  deadLetters: OpsSnapshot["deadLetters"];
  now: number;
}) {
  const reasons = Object.entries(deadLetters.byReason).sort(([, a], [, b]) => b - a);
  return (
    <Card
      title="Dead letters"
      testId="ops-dead-letters"
      actions={
        <span className="tabular text-sm" data-testid="ops-dead-letters-total">
          {deadLetters.total === null ? "total unknown" : `${formatCount(deadLetters.total)} in all`}
        </span>
      }
    >
      {reasons.length === 0 ? (
        <p className="text-sm text-slate-500">None since this server started.</p>
      ) : (
        <>
          <ul className="mb-3 space-y-0.5 text-sm">
            {reasons.map(([reason, n]) => (
              <li key={reason} className="flex justify-between gap-3">
                <span className="truncate" title={reason}>
                  {reason}
                </span>
                <span className="tabular font-semibold">{n}</span>
              </li>
            ))}
          </ul>
          <h3 className="text-xs font-medium text-slate-500">Last reasons</h3>
          <ol className="space-y-1 text-xs" data-testid="ops-dead-letters-recent">
            {deadLetters.recent.map((d) => (
              <li key={`${d.sourcePartition}:${d.sourceOffset}:${d.at}`} className="flex gap-2">
                <OpsTime ts={d.at} now={now} />
                <span className="font-semibold">{d.key ?? "(no key)"}</span>
                <span className="truncate text-slate-600 dark:text-slate-300" title={d.reason}>
                  {d.reason}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </Card>
  );
}
