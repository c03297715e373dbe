/** One 1-minute OHLCV bar; `ts` is the bar start in epoch milliseconds (UTC). */
export type Bar = {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

/** A bar with the indicators the stream worker stores in `fact_prices`. */
export type FactBar = Bar & {
  symbol: string;
  /** Trading day in the exchange's time zone, `YYYY-MM-DD`. */
  tradeDate: string;
  /** Mean close of this and the previous 4 bars; null until 5 bars exist. */
  ma5: number | null;
  /** Mean close of this and the previous 19 bars; null until 20 bars exist. */
  ma20: number | null;
  /** EMA(20) of close, α = 2/21, seeded with the first MA(20); null until 20 bars exist. */
  ema20: number | null;
  /** Session VWAP up to this bar: Σ typical·volume / Σ volume of the day so far; null while volume is 0. */
  vwap: number | null;
  /** True once the minute is over: a later bar exists, or the minute plus the grace period has passed. */
  isFinal: boolean;
};

/** One symbol's trading day (exchange time zone). */
export type DailyStat = {
  symbol: string;
  tradeDate: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Close of the symbol's previous trading day with bars; null for its first day. */
  prevClose: number | null;
  /** (close − prevClose) / prevClose × 100; null without a previous day. */
  changePct: number | null;
  /** high − low. */
  range: number;
  /** (high − low) / low × 100. */
  rangePct: number;
  vwap: number | null;
  barCount: number;
  firstTs: number;
  lastTs: number;
};

/** KPIs of one tumbling window of one symbol. */
export type WindowKpi = {
  symbol: string;
  windowMinutes: number;
  windowStart: number;
  windowEnd: number;
  /** Mean of the closes of the window's bars. */
  avgPrice: number;
  /** Σ typical·volume / Σ volume; null when the window traded no volume. */
  vwap: number | null;
  totalVolume: number;
  /** (last close − first open) / first open × 100. */
  gainPct: number;
  firstOpen: number;
  lastClose: number;
  high: number;
  low: number;
  barCount: number;
};

/** One row of a gainers or losers ranking. */
export type Mover = {
  symbol: string;
  gainPct: number;
  lastClose: number;
  totalVolume: number;
  rank: number;
};
