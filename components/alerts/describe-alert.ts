import type { AlertView } from "@/lib/events/api-alerts";
import { formatDecimal, formatVolume } from "@/lib/kpi/format";

/** The words of a stored value's key: "ma20" → "MA 20", "gainPct" → "gain %". */
const VALUE_LABELS: Record<string, string> = {
  close: "close",
  open: "open",
  level: "level",
  prevClose: "previous close",
  ma5: "MA 5",
  ma20: "MA 20",
  ema20: "EMA 20",
  gainPct: "gain %",
  changePct: "change %",
  gapPct: "gap %",
  volume: "volume",
  meanVolume: "mean volume",
  factor: "factor",
  thresholdPct: "threshold %",
  minutes: "minutes",
  prevMa5: "previous MA 5",
  prevMa20: "previous MA 20",
  prev_ma20: "previous MA 20",
  prev_ema20: "previous EMA 20",
  windowMinutes: "window (min)",
  minGapPct: "minimum gap %",
};

/** Keys that are times (epoch ms), not shown as numbers. */
const TIME_KEYS = new Set(["lastBarTs", "windowStart"]);

/** Keys that are share volumes, shown as the dashboard shows volumes ("5.21M"). */
const VOLUME_KEYS = new Set(["volume", "meanVolume"]);

function formatValue(key: string, value: number | null): string {
  return VOLUME_KEYS.has(key) ? formatVolume(value, true) : formatDecimal(value);
}

/** Known keys in the order above, then any others: jsonb does not keep the order they were written in. */
const KEY_ORDER = Object.keys(VALUE_LABELS);
const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);

/** The KPI values an alert stored, in words: "close 101.2 · level 101". */
export function describeAlertValues(values: AlertView["values"]): string {
  return Object.entries(values)
    .filter(([key]) => !TIME_KEYS.has(key))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => `${VALUE_LABELS[key] ?? key} ${formatValue(key, value)}`)
    .join(" · ");
}

/** One line for a toast or a screen reader: "AAPL: AAPL above 200 (close 201 · level 200)". */
export function describeAlert(alert: AlertView): string {
  const values = describeAlertValues(alert.values);
  const head = `${alert.symbol}: ${alert.ruleName}${values ? ` (${values})` : ""}`;
  return alert.retractedAt === null ? head : `Retracted: ${head}`;
}
