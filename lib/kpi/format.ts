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

/** Direction of a change for colouring: up, down or flat (null counts as flat). */
export function getChangeDirection(value: number | null | undefined): "up" | "down" | "flat" {
  if (value === null || value === undefined || !Number.isFinite(value)) return "flat";
  const rounded = Number(value.toFixed(2));
  return rounded > 0 ? "up" : rounded < 0 ? "down" : "flat";
}

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

/** 1234567 → "1,234,567"; with `compact` → "1.23M". */
export function formatVolume(value: number | null | undefined, compact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return compact ? compactFormat.format(value) : integerFormat.format(value);
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

/** Bar time in the exchange's zone: "14:05", or "Mar 12, 14:05" with the date. */
export function formatBarTime(ts: number | null | undefined, timeZone: string, withDate = false): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return DASH;
  return getTimeFormatter(timeZone, withDate).format(ts);
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
