import { isYahooValidationError } from "@/lib/ingest/yahoo/errors";
import {
  yahooChartPointSchema,
  yahooChartSchema,
  type YahooChartMeta,
  type YahooChartPoint,
} from "@/lib/ingest/yahoo/payloads";
import type { YahooClient } from "@/lib/ingest/yahoo/client";
import type { Bar } from "@/lib/kpi/types";
import { isMinuteAligned } from "@/lib/kpi/durations";

/** One chart request: bars starting in [from, to), epoch ms. */
export type YahooChartWindow = { from: number; to: number };

export type YahooChartBars = {
  /** Regular-session 1-minute bars, ascending, each valid for `tickV1Schema` once given a symbol. */
  bars: Bar[];
  exchangeTimeZone: string | null;
  /** Start of the regular session Yahoo calls current (the next one while the market is closed). */
  regularStart: number | null;
  /** Points left out, by reason. */
  dropped: { gaps: number; offGrid: number; afterPeriod2: number; sessionEnd: number };
};

/**
 * Fetches 1-minute regular-session bars of one symbol. When Yahoo's answer fails yahoo-finance2's
 * schema (it happens for single symbols now and then), the call is repeated without validation and
 * the raw answer is sanitised here; `onValidationError` is told either way.
 */
export async function fetchYahooChart(
  yf: YahooClient,
  symbol: string,
  window: YahooChartWindow,
  onValidationError?: (error: unknown) => void,
): Promise<YahooChartBars> {
  const period2 = Math.floor(window.to / 1_000) * 1_000;
  const query = {
    period1: new Date(window.from),
    period2: new Date(period2),
    interval: "1m",
    includePrePost: false,
  } as const;
  let result: unknown;
  try {
    result = await yf.chart(symbol, query);
  } catch (error) {
    if (!isYahooValidationError(error)) throw error;
    onValidationError?.(error);
    result = await yf.chart(symbol, query, { validateResult: false });
  }
  return extractYahooBars(result, period2);
}

/**
 * Turns a `chart()` result (validated or raw) into bars. Left out: null candles (a minute without
 * trades is a gap, not a zero bar), points at or after `period2`, points off the minute grid, and the
 * "live" point Yahoo appends at the close of a session (it starts exactly at a regular session's end,
 * where no regular bar can start). Float noise that puts open or close a hair outside [low, high] is
 * absorbed by widening high/low.
 */
export function extractYahooBars(result: unknown, period2: number): YahooChartBars {
  const chart = yahooChartSchema.safeParse(result);
  if (!chart.success) throw new Error("unexpected chart result from Yahoo: no quotes array");
  const { meta } = chart.data;
  const sessionEnds = collectRegularSessionEnds(meta);
  const dropped = { gaps: 0, offGrid: 0, afterPeriod2: 0, sessionEnd: 0 };
  const byTs = new Map<number, Bar>();
  for (const item of chart.data.quotes) {
    const point = yahooChartPointSchema.safeParse(item);
    if (!point.success) continue;
    const ts = point.data.date;
    if (ts === null || !isMinuteAligned(ts)) {
      dropped.offGrid++;
      continue;
    }
    if (ts >= period2) {
      dropped.afterPeriod2++;
      continue;
    }
    if (sessionEnds.has(ts)) {
      dropped.sessionEnd++;
      continue;
    }
    const bar = toBar(ts, point.data);
    if (!bar) {
      dropped.gaps++;
      continue;
    }
    byTs.set(ts, bar);
  }
  return {
    bars: [...byTs.values()].sort((a, b) => a.ts - b.ts),
    exchangeTimeZone: meta.exchangeTimezoneName,
    regularStart: meta.currentTradingPeriod?.regular?.start ?? null,
    dropped,
  };
}

function toBar(ts: number, point: YahooChartPoint): Bar | null {
  const { open, high, low, close } = point;
  if (open === null || high === null || low === null || close === null) return null;
  return {
    ts,
    open,
    high: Math.max(open, high, low, close),
    low: Math.min(open, high, low, close),
    close,
    volume: point.volume === null ? 0 : Math.max(0, Math.round(point.volume)),
  };
}

/** Regular session ends from `meta.tradingPeriods` and `currentTradingPeriod`. */
function collectRegularSessionEnds(meta: YahooChartMeta): Set<number> {
  const ends = new Set<number>();
  const periods = [...meta.tradingPeriods.flat(), meta.currentTradingPeriod?.regular ?? null];
  for (const period of periods) if (period?.end != null) ends.add(period.end);
  return ends;
}
