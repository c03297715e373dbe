import type { AlertScope } from "@/lib/events/alert-rule";
import type { AlertCondition, AlertConditionType } from "@/lib/kpi/alert-rules";
import { formatDecimal, formatShortList } from "@/lib/kpi/format";

/** The words for each rule type, as the admin's type picker and the alerts panel name them. */
export const ALERT_TYPE_LABELS: Record<AlertConditionType, string> = {
  price_cross: "Price crosses a level",
  indicator_cross: "Close crosses MA 20 / EMA 20",
  ma_cross: "MA 5 crosses MA 20",
  window_gain: "Window gain %",
  volume_spike: "Volume spike",
  day_change: "Day change %",
  opening_gap: "Opening gap",
  stale_data: "Stale data",
};

/** A number as an admin typed it, grouped: up to 6 decimals ("101.5", not "101.50"; "1,000,000"). */
const formatNumber = (value: number) => formatDecimal(value, 6);

const pct = (value: number) => `${formatNumber(value)}%`;

/**
 * A condition's parameters in words: "close crosses above 101.5", "MA 5 crosses above MA 20 (golden
 * cross)", "volume above 3 × the mean of the previous 20 bars".
 */
export function describeAlertCondition(condition: AlertCondition): string {
  switch (condition.type) {
    case "price_cross":
      return `close crosses ${condition.direction === "up" ? "above" : "below"} ${formatNumber(condition.level)}`;
    case "indicator_cross":
      return `close crosses ${condition.direction === "up" ? "above" : "below"} its ${condition.indicator === "ma20" ? "MA 20" : "EMA 20"}`;
    case "ma_cross":
      return condition.kind === "golden"
        ? "MA 5 crosses above MA 20 (golden cross)"
        : "MA 5 crosses below MA 20 (death cross)";
    case "window_gain":
      return `${condition.windowMinutes}-minute gain ${condition.direction === "above" ? "above" : "below"} ${pct(condition.thresholdPct)}`;
    case "volume_spike":
      return `volume above ${formatNumber(condition.factor)} × the mean of the previous ${condition.lookbackBars} bar${condition.lookbackBars === 1 ? "" : "s"}`;
    case "day_change":
      return `day change ${condition.direction === "above" ? "above" : "below"} ${pct(condition.thresholdPct)}`;
    case "opening_gap":
      return `opens more than ${pct(condition.minGapPct)} ${condition.direction === "up" ? "above" : "below"} the previous close`;
    case "stale_data":
      return `no bar for ${condition.minutes} minute${condition.minutes === 1 ? "" : "s"} while the market is open`;
  }
}

/** "all symbols", "AAPL", "AAPL, MSFT, NVDA and 4 more". */
export function describeAlertScope(scope: AlertScope, shown = 3): string {
  if (scope.kind === "all") return "all symbols";
  return formatShortList(scope.symbols, shown);
}

/** "no cooldown", "5 min", "2 h", "1 d 6 h" (bar time). */
export function describeCooldown(minutes: number): string {
  if (minutes === 0) return "no cooldown";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days && `${days} d`, hours && `${hours} h`, rest && `${rest} min`].filter(Boolean).join(" ");
}
