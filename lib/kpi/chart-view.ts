/**
 * The saved view of a symbol's chart: mode, overlays and compared symbols, read from and written to
 * the URL (shareable, one history entry per change) and kept in localStorage as the last used view.
 */
import { TIME_RANGES, type TimeRange } from "@/lib/kpi/time-range";

export const CHART_MODES = ["candles", "ohlc", "line"] as const;
export type ChartMode = (typeof CHART_MODES)[number];

export const CHART_MODE_LABELS: Record<ChartMode, string> = {
  candles: "Candles",
  ohlc: "OHLC bars",
  line: "Line",
};

/** Indicators the stream worker stores per bar (lib/kpi/types.ts FactBar), in drawing order. */
export const OVERLAYS = ["ma5", "ma20", "ema20", "vwap"] as const;
export type Overlay = (typeof OVERLAYS)[number];

export const OVERLAY_LABELS: Record<Overlay, string> = {
  ma5: "MA 5",
  ma20: "MA 20",
  ema20: "EMA 20",
  vwap: "VWAP",
};

/** Symbols overlaid besides the chart's own. */
export const MAX_COMPARE = 5;

export type ChartView = { mode: ChartMode; overlays: Overlay[]; compare: string[] };

export const DEFAULT_CHART_VIEW: ChartView = { mode: "candles", overlays: ["ma20"], compare: [] };

const SYMBOL_PATTERN = /^[A-Z0-9.^=-]{1,20}$/;

/** The view's fields present in `params` (absent or unusable ones are left out, so a default applies). */
export function parseChartView(params: { get: (name: string) => string | null }): Partial<ChartView> {
  const view: Partial<ChartView> = {};
  const mode = params.get("mode");
  if (mode !== null && (CHART_MODES as readonly string[]).includes(mode)) view.mode = mode as ChartMode;
  const overlays = params.get("overlays");
  // An empty value is a choice (no overlay), unlike an absent one.
  if (overlays !== null) view.overlays = OVERLAYS.filter((o) => overlays.split(",").includes(o));
  const compare = params.get("compare");
  if (compare !== null) view.compare = normalizeCompare(compare.split(","), null);
  return view;
}

/**
 * Compared symbols: upper-cased, valid tickers, once each, never the chart's own symbol, at most
 * MAX_COMPARE, in the order given.
 */
export function normalizeCompare(symbols: readonly string[], own: string | null): string[] {
  const out: string[] = [];
  for (const raw of symbols) {
    const symbol = raw.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(symbol) || symbol === own || out.includes(symbol)) continue;
    if (out.length === MAX_COMPARE) break;
    out.push(symbol);
  }
  return out;
}

/** Writes the view into `params` (every field, so the URL alone restores it). */
export function writeChartView(params: URLSearchParams, view: ChartView): URLSearchParams {
  params.set("mode", view.mode);
  params.set("overlays", view.overlays.join(","));
  if (view.compare.length > 0) params.set("compare", view.compare.join(","));
  else params.delete("compare");
  return params;
}

/** A stored view (localStorage text) as far as it is usable; {} for anything else. */
export function parseStoredChartView(text: string | null): Partial<ChartView> {
  if (!text) return {};
  try {
    const stored = JSON.parse(text) as Record<string, unknown>;
    const asText = (v: unknown) =>
      Array.isArray(v) ? v.filter((x) => typeof x === "string").join(",") : null;
    return parseChartView({
      get: (name) =>
        name === "mode" ? (typeof stored.mode === "string" ? stored.mode : null) : asText(stored[name]),
    });
  } catch {
    // Written by another version or by hand: the defaults apply.
    return {};
  }
}

/** The chart's range as remembered between visits: a preset, or custom trading dates. */
export type StoredChartRange = { range: TimeRange } | { custom: { from: string; to: string } };

const TRADING_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The range a page shows when its URL names one (`range`, or `from` and `to`); null when the URL
 * leaves it to the default, so that the last range used in this browser can apply.
 */
export function readUrlChartRange(get: (name: string) => string | null): StoredChartRange | null {
  const from = get("from");
  const to = get("to");
  if (from && to && TRADING_DATE.test(from) && TRADING_DATE.test(to)) return { custom: { from, to } };
  const range = TIME_RANGES.find((r) => r === get("range"));
  return range ? { range } : null;
}

/** A stored range (localStorage text) when it is usable; null for anything else. */
export function parseStoredChartRange(text: string | null): StoredChartRange | null {
  if (!text) return null;
  try {
    const stored = JSON.parse(text) as { range?: unknown; custom?: { from?: unknown; to?: unknown } };
    const asText = (v: unknown) => (typeof v === "string" ? v : null);
    return readUrlChartRange((name) =>
      name === "range" ? asText(stored.range) : asText(stored.custom?.[name as "from" | "to"]),
    );
  } catch {
    // Written by another version or by hand: the default range applies.
    return null;
  }
}
