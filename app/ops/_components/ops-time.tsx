import { getDateTimeFormat } from "@/lib/kpi/cached-format";
import { formatAgo, formatBarTime } from "@/lib/kpi/format";

/**
 * The one place /ops and /health render an instant: clock time with its zone named, optionally the
 * date, and how long ago. Times are shown in UTC until the display-zone choice reaches these pages;
 * swap the zone here.
 */
const ZONE = "UTC";

function formatClock(ts: number, withDate: boolean): string {
  if (withDate) return formatBarTime(ts, ZONE, true);
  // Samples come every two seconds: the seconds show that the page is live.
  return getDateTimeFormat("en-US", {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(ts);
}

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
    <time dateTime={new Date(ts).toISOString()} className="tabular whitespace-nowrap">
      {formatClock(ts, withDate)} {ZONE}
      {now !== undefined && <span className="text-slate-500"> · {formatAgo(now - ts)}</span>}
    </time>
  );
}
