/**
 * Number and time formatting for finance, shared by the dashboard and the admin pages. Sentinels: a
 * null or non-finite value renders as an em dash, never "NaN".
 */
import { getDateTimeFormat, getNumberFormat } from "@/lib/kpi/cached-format";

const DASH = "—";

export function formatPrice(value: number | null | undefined, currency = "USD"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return getNumberFormat("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}

/** "+1.23%", "−0.50%", "0.00%": always signed (with a true minus sign) and two decimals. */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const rounded = Number(value.toFixed(digits));
  const body = Math.abs(rounded).toFixed(digits);
  if (rounded > 0) return `+${body}%`;
  if (rounded < 0) return `\u2212${body}%`;
  return `${body}%`;
}

/**
 * The decimals a percentage needs for its sign to show: two, or up to four for a tiny change that two
 * would round to 0.00% (a ranked loser of −0.003% must not read as no change).
 */
export function getSignificantPercentDigits(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return 2;
  for (let digits = 2; digits < 4; digits++) if (Number(Math.abs(value).toFixed(digits)) !== 0) return digits;
  return 4;
}

/** Direction of a change for colouring: up, down or flat (null counts as flat), at the decimals shown. */
export function getChangeDirection(value: number | null | undefined, digits = 2): "up" | "down" | "flat" {
  if (value === null || value === undefined || !Number.isFinite(value)) return "flat";
  const rounded = Number(value.toFixed(digits));
  return rounded > 0 ? "up" : rounded < 0 ? "down" : "flat";
}

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

/** 1234567 → "1,234,567"; with `compact` → "1.23M". */
export function formatVolume(value: number | null | undefined, compact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return compact ? compactFormat.format(value) : integerFormat.format(value);
}

/** A plain figure (a level, a factor, an average): 1000000 → "1,000,000", 101.23456 → "101.2346". */
export function formatDecimal(value: number | null | undefined, maxFractionDigits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return getNumberFormat("en-US", { maximumFractionDigits: maxFractionDigits }).format(value);
}

/** A list in words, the first `shown` items and a count of the rest: "AAPL, MSFT, NVDA and 4 more". */
export function formatShortList(items: readonly (string | number)[], shown: number): string {
  if (items.length <= shown) return items.join(", ");
  return `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}

/** A count of things (events, bars, batches): 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  return integerFormat.format(value);
}

function getTimeFormatter(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  return getDateTimeFormat("en-US", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(withDate ? { month: "short", day: "numeric" } : {}),
  });
}

/**
 * Time of day in `timeZone` without the zone: "14:05", or "Mar 12, 14:05" with the date. Only where
 * the zone is named once nearby (a chart's axis); everywhere else use formatZonedTime.
 */
export function formatBarTime(ts: number | null | undefined, timeZone: string, withDate = false): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return DASH;
  return getTimeFormatter(timeZone, withDate).format(ts);
}

/** Which zone the UI shows times in: each symbol's exchange zone, the viewer's own zone, or UTC. */
export const DISPLAY_ZONES = ["exchange", "local", "utc"] as const;
export type DisplayZone = (typeof DISPLAY_ZONES)[number];
/** What a first visit and the server render show: market hours read as the market reads them. */
export const DEFAULT_DISPLAY_ZONE: DisplayZone = "exchange";

/** A stored or requested choice; anything unknown (an old value, a typo, null) is the default. */
export function parseDisplayZone(raw: unknown): DisplayZone {
  return DISPLAY_ZONES.find((z) => z === raw) ?? DEFAULT_DISPLAY_ZONE;
}

/** The IANA zone a choice stands for, given the exchange's zone and the viewer's own. */
export function resolveDisplayTimeZone(
  zone: DisplayZone,
  zones: { exchange: string; local: string },
): string {
  return zone === "utc" ? "UTC" : zone === "local" ? zones.local : zones.exchange;
}

const isOffsetName = (name: string) => /^GMT[+-]/.test(name);

function getZoneName(ts: number, timeZone: string, locale: string): string {
  const parts = getDateTimeFormat(locale, { timeZone, timeZoneName: "short" }).formatToParts(ts);
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/**
 * The zone's short name at that instant, so that it follows daylight saving time: "EST" / "EDT",
 * "CET" / "CEST", "GMT" / "BST", "UTC"; an offset such as "GMT+9" where no abbreviation is in common
 * use. US English names American zones only, British English the European ones, hence both.
 */
export function formatZoneLabel(ts: number, timeZone: string): string {
  const american = getZoneName(ts, timeZone, "en-US");
  if (!isOffsetName(american)) return american;
  const british = getZoneName(ts, timeZone, "en-GB");
  return isOffsetName(british) ? american : british;
}

function getZonedFormatter(timeZone: string, withDate: boolean, withSeconds: boolean): Intl.DateTimeFormat {
  return getDateTimeFormat("en-US", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(withSeconds ? { second: "2-digit" } : {}),
    ...(withDate ? { month: "short", day: "numeric" } : {}),
  });
}

export type ZonedTimeOptions = { withDate?: boolean; withSeconds?: boolean };

/** A time that names its zone: "14:05 EDT", "Mar 12, 19:05 UTC", "Mar 12, 20:05:07 CET". */
export function formatZonedTime(
  ts: number | null | undefined,
  timeZone: string,
  { withDate = false, withSeconds = false }: ZonedTimeOptions = {},
): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return DASH;
  return `${getZonedFormatter(timeZone, withDate, withSeconds).format(ts)} ${formatZoneLabel(ts, timeZone)}`;
}

/**
 * A span that names its zone once: "Mar 12, 14:05 – 14:10 EDT" (the date only on the start). Both
 * ends keep their own label when they differ, as across a daylight saving change.
 */
export function formatZonedTimeSpan(
  start: number | null | undefined,
  end: number | null | undefined,
  timeZone: string,
  withDate = false,
): string {
  if (start === null || start === undefined || !Number.isFinite(start)) return DASH;
  if (end === null || end === undefined || !Number.isFinite(end)) return DASH;
  const startLabel = formatZoneLabel(start, timeZone);
  const endLabel = formatZoneLabel(end, timeZone);
  const from = getZonedFormatter(timeZone, withDate, false).format(start);
  const to = getZonedFormatter(timeZone, false, false).format(end);
  return startLabel === endLabel
    ? `${from} – ${to} ${endLabel}`
    : `${from} ${startLabel} – ${to} ${endLabel}`;
}

/** "3 s ago", "2 min ago", "1 h ago" for a duration in milliseconds. */
export function formatAgo(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1_000) return "just now";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}
