"use client";

import { Time } from "@/components/ui/time";
import { formatAgo } from "@/lib/kpi/format";

/**
 * An instant on /ops and /health: in the viewer's display zone with the zone named (see `Time`; these
 * times belong to no symbol, so "exchange time" is the deployment's), with seconds unless the date is
 * shown (samples come every two seconds: the seconds show the page is live), optionally "· 3 s ago".
 */
export function OpsTime({
  ts,
  now,
  withDate = false,
}: {
  ts: number | null;
  /** When given, "· 3 s ago" follows. */
  now?: number;
  /** Month and day with hours and minutes (for instants that may lie on another day). */
  withDate?: boolean;
}) {
  if (ts === null) return <span className="text-slate-400">—</span>;
  return (
    <span className="tabular whitespace-nowrap">
      <Time ts={ts} withDate={withDate} withSeconds={!withDate} />
      {now !== undefined && <span className="text-slate-500"> · {formatAgo(now - ts)}</span>}
    </span>
  );
}
