"use client";

import { useDisplayTimeZone } from "@/components/ui/display-zone-provider";
import { formatZonedTime, formatZonedTimeSpan, formatZoneLabel } from "@/lib/kpi/format";

type Ts = number | null | undefined;
const isTime = (ts: Ts): ts is number => ts !== null && ts !== undefined && Number.isFinite(ts);

/**
 * Every time the UI shows: in the viewer's chosen zone (exchange, local or UTC, see
 * DisplayZoneProvider), always followed by that zone's name ("14:05 EDT"). `exchangeTimeZone` is the
 * zone of the exchange the time belongs to (the deployment's EXCHANGE_TIMEZONE for times that belong to
 * no symbol). The tooltip gives the instant in UTC.
 */
export function Time({
  ts,
  exchangeTimeZone,
  withDate = false,
  withSeconds = false,
  testId,
}: {
  ts: Ts;
  /** Omitted for times that belong to no symbol: the deployment's exchange zone. */
  exchangeTimeZone?: string;
  withDate?: boolean;
  withSeconds?: boolean;
  testId?: string;
}) {
  const timeZone = useDisplayTimeZone(exchangeTimeZone);
  const text = formatZonedTime(ts, timeZone, { withDate, withSeconds });
  if (!isTime(ts)) return <span data-testid={testId}>{text}</span>;
  const iso = new Date(ts).toISOString();
  return (
    <time
      dateTime={iso}
      title={iso}
      data-testid={testId}
      data-ts={ts}
      data-zone={formatZoneLabel(ts, timeZone)}
    >
      {text}
    </time>
  );
}

/** A span of time in the chosen zone, naming the zone once: "Mar 12, 14:05 – 14:10 EDT". */
export function TimeSpan({
  start,
  end,
  exchangeTimeZone,
  withDate = false,
  testId,
}: {
  start: Ts;
  end: Ts;
  exchangeTimeZone: string;
  withDate?: boolean;
  testId?: string;
}) {
  const timeZone = useDisplayTimeZone(exchangeTimeZone);
  return (
    <span
      data-testid={testId}
      data-zone={isTime(end) ? formatZoneLabel(end, timeZone) : undefined}
      title={
        isTime(start) && isTime(end)
          ? `${new Date(start).toISOString()} – ${new Date(end).toISOString()}`
          : undefined
      }
    >
      {formatZonedTimeSpan(start, end, timeZone, withDate)}
    </span>
  );
}
