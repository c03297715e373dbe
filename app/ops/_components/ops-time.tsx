import { formatAgo, formatBarTime } from "@/lib/kpi/format";

/**
 * The one place /ops renders an instant: clock time with its zone named, and optionally how long
 * ago. Times are shown in UTC until the display-zone choice reaches this page; swap it here.
 */
const ZONE = "UTC";

export function OpsTime({
  ts,
  now,
  withDate = false,
}: {
  ts: number | null;
  now?: number;
  withDate?: boolean;
}) {
  if (ts === null) return <span className="text-slate-400">—</span>;
  return (
    <time dateTime={new Date(ts).toISOString()} className="tabular whitespace-nowrap">
      {formatBarTime(ts, ZONE, withDate)} {ZONE}
      {now !== undefined && <span className="text-slate-500"> · {formatAgo(now - ts)}</span>}
    </time>
  );
}
