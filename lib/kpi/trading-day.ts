const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The trading day (`YYYY-MM-DD`) of a bar in its exchange's time zone: a US bar at 2026-03-13 01:00 UTC
 * belongs to 2026-03-12 in America/New_York.
 */
export function computeTradingDate(ts: number, timeZone: string): string {
  return getFormatter(timeZone).format(ts);
}

/** Minutes after local midnight of `ts` in `timeZone` (09:30 → 570). */
export function computeLocalMinuteOfDay(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(ts);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}
