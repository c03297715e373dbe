import { createFactBar } from "@/lib/kpi/bar";
import {
  createBarColumns,
  dropOldestBars,
  findColumnsLowerBound,
  getClose,
  getEma20,
  getFactBar,
  getIsFinal,
  getTradeDate,
  getTs,
  hasIndicators,
  insertBar,
  readBar,
  reviseBar,
  setIndicators,
  setIsFinal,
  toFactBars,
  type BarColumns,
} from "@/lib/kpi/bar-columns";
import { isBarFinal } from "@/lib/kpi/bar-finality";
import { computeDailyStatsFromSummary } from "@/lib/kpi/daily-stats";
import { computeEmaStep } from "@/lib/kpi/ema";
import { computeSimpleMovingAverage } from "@/lib/kpi/moving-average";
import { computeTradingDate, findDayStart } from "@/lib/kpi/trading-day";
import { HOUR_MS } from "@/lib/kpi/durations";
import { isSameBar } from "@/lib/kpi/shape-equality";
import { computeWindowKpiFromSummary, computeWindowStart } from "@/lib/kpi/tumbling-window";
import type { Bar, DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";
import {
  addToSummary,
  copyRunningSummary,
  createRunningSummary,
  finishSummary,
  type RunningSummary,
} from "@/lib/kpi/summarize-bars";
import { computeVwap } from "@/lib/kpi/vwap";

const MA_SHORT = 5;
const MA_LONG = 20;
const EMA_PERIOD = 20;
/** A trading day in any time zone spans less than this (23–25 h around DST changes). */
const MAX_DAY_MS = 26 * HOUR_MS;

export type SeriesConfig = {
  symbol: string;
  timeZone: string;
  /** Tumbling window lengths in minutes. */
  windows: readonly number[];
  /** Grace after a minute during which its bar may still be revised ({@link isBarFinal}). */
  finalGraceMs: number;
};

/**
 * The in-memory bars of one symbol, sorted by ts. Invariant: the state holds every bar of the symbol
 * with `ts >= bars[0].ts` (it is contiguous up to the newest bar); `hasAllHistory` says that bars[0]
 * is the symbol's first bar ever. The stream worker builds it from PostgreSQL and keeps it in step.
 */
export type SeriesState = {
  config: SeriesConfig;
  /** The bars, packed (see {@link BarColumns}); {@link toFactBars} reads them as objects. */
  bars: BarColumns;
  hasAllHistory: boolean;
  /** Running totals of a day's first bars, or null: see {@link DayCheckpoint}. */
  day: DayCheckpoint | null;
};

/**
 * The totals of one trading day from its first bar up to `lastTs`, kept with the state so that a batch
 * appending to the day sums only the bars after it (summing the whole day again for every batch was
 * the worker's largest cost at high rates). Valid while no bar at or before `lastTs` changes: a
 * recomputation from such a bar drops it. Taken {@link CHECKPOINT_BEHIND} bars before the newest, so
 * that appending a bar or revising the newest one (which recompute from the bar before) can use it.
 */
type DayCheckpoint = {
  tradeDate: string;
  /** The newest bar the totals include. */
  lastTs: number;
  /** Close of the bar before the day's first (the previous trading day's close), or null. */
  prevClose: number | null;
  summary: RunningSummary;
};

const CHECKPOINT_BEHIND = 2;

/** What one application of revisions changed: rows to upsert. */
export type SeriesChanges = { bars: FactBar[]; days: DailyStat[]; windows: WindowKpi[] };

const NO_CHANGES: SeriesChanges = { bars: [], days: [], windows: [] };

export function createSeriesState(
  config: SeriesConfig,
  stored: readonly FactBar[],
  hasAllHistory: boolean,
): SeriesState {
  const bars = createBarColumns(
    config.symbol,
    [...stored].sort((a, b) => a.ts - b.ts),
  );
  return { config, bars, hasAllHistory, day: null };
}

/**
 * Earliest ts the caller must load (plus the 20 bars before it) so that everything from `fromTs` on
 * can be recomputed: the whole trading day, the previous day's close, and the longest window.
 */
export function computeLoadFrom(fromTs: number, windows: readonly number[]): number {
  const longest = Math.max(...windows, 1);
  return Math.min(fromTs - MAX_DAY_MS, computeWindowStart(fromTs, longest));
}

/** Number of bars to load before {@link computeLoadFrom}, for the moving averages. */
export const CONTEXT_BARS = MA_LONG;

/** Index of the first bar with ts >= `ts` (bars.length when none). */
export function findLowerBound(bars: readonly { ts: number }[], ts: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether the state holds enough history to recompute everything from `fromTs`: 19 bars before it
 * (MA 20), the whole of its trading day and the previous day's last bar (daily stats), and the start of
 * its longest window. When false, the caller reloads the symbol from the database.
 */
export function canRecomputeFrom(state: SeriesState, fromTs: number): boolean {
  if (state.hasAllHistory) return true;
  const { bars } = state;
  if (bars.length === 0) return false;
  const r = findColumnsLowerBound(bars, fromTs);
  if (r < MA_LONG - 1) return false;
  if (getTradeDate(bars, 0) >= computeTradingDate(fromTs, state.config.timeZone)) return false;
  const longest = Math.max(...state.config.windows, 1);
  return getTs(bars, 0) <= computeWindowStart(fromTs, longest);
}

/**
 * Merges bar revisions (at most one per ts; the latest already chosen) into the state and recomputes
 * everything they affect: the bars' indicators from the earliest changed bar on, the finality of the
 * bar before it, the trading days and the windows from there to the newest bar. Results depend only
 * on the set of bars, never on arrival order. A revision equal to the stored bar changes nothing.
 * Mutates `state`; throws if the state lacks the history {@link canRecomputeFrom} requires. The ts of
 * each bar the state did not hold before goes to `created` when given.
 */
export function applyRevisions(
  state: SeriesState,
  revisions: readonly Bar[],
  now: number,
  created?: Set<number>,
): SeriesChanges {
  const { bars, config } = state;
  let firstChanged = Infinity;
  const revised = new Set<number>();
  for (const rev of revisions) {
    const i = findColumnsLowerBound(bars, rev.ts);
    if (i < bars.length && getTs(bars, i) === rev.ts) {
      if (isSameBar(readBar(bars, i, scratch), rev)) continue;
      reviseBar(bars, i, rev);
    } else {
      if (!state.hasAllHistory && bars.length > 0 && rev.ts < getTs(bars, 0)) {
        throw new Error(
          `bar ${rev.ts} of ${config.symbol} precedes the loaded history; reload the symbol first`,
        );
      }
      insertBar(bars, i, createFactBar(config.symbol, rev, computeTradingDate(rev.ts, config.timeZone)));
      created?.add(rev.ts);
    }
    firstChanged = Math.min(firstChanged, rev.ts);
    revised.add(rev.ts);
  }
  if (firstChanged === Infinity) return NO_CHANGES;
  if (!canRecomputeFrom(state, firstChanged)) {
    throw new Error(`not enough history of ${config.symbol} loaded to recompute from ${firstChanged}`);
  }
  return recomputeFrom(state, findColumnsLowerBound(bars, firstChanged), revised, now);
}

/** The bar the series' loops read into, one at a time (reading a packed bar allocates nothing). */
const scratch: Bar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };

function recomputeFrom(
  state: SeriesState,
  r: number,
  revised: ReadonlySet<number>,
  now: number,
): SeriesChanges {
  const { bars, config } = state;
  if (state.day && state.day.lastTs >= getTs(bars, r)) state.day = null;
  const changed: FactBar[] = [];
  const days: DailyStat[] = [];
  const from = Math.max(0, r - 1);
  const start = startDayTotals(state, from);
  let { summary, prevClose } = start;

  // Only the closes the averages from `r` on can read (MA_LONG before it): the state may hold a day
  // and more of bars, and copying them all for every batch cost more than the recomputation.
  const base = Math.max(0, r - MA_LONG);
  const closes = new Array<number>(bars.length - base);
  for (let i = base; i < bars.length; i++) closes[i - base] = getClose(bars, i);
  const checkpointAt = bars.length - 1 - CHECKPOINT_BEHIND;
  for (let i = start.index; i < bars.length; i++) {
    const tradeDate = getTradeDate(bars, i);
    if (i > start.index && tradeDate !== getTradeDate(bars, i - 1)) {
      // Every day from r's on is stored again (the one ending before r is not).
      if (i - 1 >= r) days.push(finishDay(config.symbol, getTradeDate(bars, i - 1), summary, prevClose));
      prevClose = getClose(bars, i - 1);
      summary = createRunningSummary();
    }
    const bar = readBar(bars, i, scratch);
    addToSummary(summary, bar);
    if (i === checkpointAt) {
      state.day = { tradeDate, lastTs: bar.ts, prevClose, summary: copyRunningSummary(summary) };
    }
    if (i < from) continue;
    const isFinal = isBarFinal(bar, i === bars.length - 1, now, config.finalGraceMs);
    let differs: boolean;
    if (i < r) {
      // The bar before the first changed one: only its finality can change.
      differs = getIsFinal(bars, i) !== isFinal;
      if (differs) setIsFinal(bars, i, isFinal);
    } else {
      const ma5 = computeSimpleMovingAverage(closes, i - base, MA_SHORT);
      const ma20 = computeSimpleMovingAverage(closes, i - base, MA_LONG);
      const previousEma = i > 0 ? getEma20(bars, i - 1) : null;
      const ema20 = computeEmaStep(previousEma, bar.close, EMA_PERIOD, ma20);
      const vwap = computeVwap(summary.vwap);
      differs = !hasIndicators(bars, i, ma5, ma20, ema20, vwap, isFinal);
      if (differs) setIndicators(bars, i, ma5, ma20, ema20, vwap, isFinal);
    }
    if (differs || revised.has(bar.ts)) changed.push(getFactBar(bars, i));
  }
  days.push(finishDay(config.symbol, getTradeDate(bars, bars.length - 1), summary, prevClose));
  return { bars: changed, days, windows: recomputeWindows(state, r) };
}

function finishDay(
  symbol: string,
  tradeDate: string,
  summary: RunningSummary,
  prevClose: number | null,
): DailyStat {
  return computeDailyStatsFromSummary(symbol, tradeDate, finishSummary(summary), prevClose);
}

/**
 * Where the day totals of a recomputation from `from` start: after the state's checkpoint when it
 * covers only bars of `from`'s day before it, else at the day's first bar.
 */
function startDayTotals(
  state: SeriesState,
  from: number,
): { index: number; summary: RunningSummary; prevClose: number | null } {
  const { bars } = state;
  const tradeDate = getTradeDate(bars, from);
  const checkpoint = state.day;
  if (checkpoint && checkpoint.tradeDate === tradeDate && checkpoint.lastTs < getTs(bars, from)) {
    const at = findColumnsLowerBound(bars, checkpoint.lastTs);
    if (at >= bars.length || getTs(bars, at) !== checkpoint.lastTs)
      throw new Error(`day checkpoint of ${state.config.symbol} lost its bar`);
    return {
      index: at + 1,
      summary: copyRunningSummary(checkpoint.summary),
      prevClose: checkpoint.prevClose,
    };
  }
  const dayStart = findDayStart((i) => getTradeDate(bars, i), from);
  return {
    index: dayStart,
    summary: createRunningSummary(),
    prevClose: dayStart > 0 ? getClose(bars, dayStart - 1) : null,
  };
}

function recomputeWindows(state: SeriesState, r: number): WindowKpi[] {
  const { bars, config } = state;
  const out: WindowKpi[] = [];
  for (const minutes of config.windows) {
    let start = findColumnsLowerBound(bars, computeWindowStart(getTs(bars, r), minutes));
    while (start < bars.length) {
      const windowStart = computeWindowStart(getTs(bars, start), minutes);
      const summary = createRunningSummary();
      let end = start;
      while (end < bars.length && computeWindowStart(getTs(bars, end), minutes) === windowStart) {
        addToSummary(summary, readBar(bars, end, scratch));
        end++;
      }
      out.push(computeWindowKpiFromSummary(config.symbol, minutes, finishSummary(summary)));
      start = end;
    }
  }
  return out;
}

/**
 * Drops bars the state no longer needs to recompute its newest bar (keeps the newest bar's day, its
 * longest window and the 20 bars before them), once more than `slack` bars could go.
 */
export function trimSeries(state: SeriesState, slack = 500): void {
  const { bars, config } = state;
  if (bars.length === 0) return;
  const keepFrom = computeLoadFrom(getTs(bars, bars.length - 1), config.windows);
  const cut = findColumnsLowerBound(bars, keepFrom) - CONTEXT_BARS;
  if (cut > slack) {
    dropOldestBars(bars, cut);
    state.hasAllHistory = false;
    // The first day kept may have lost its start: a checkpoint of it (or before it) no longer adds up.
    if (state.day && state.day.tradeDate <= getTradeDate(bars, 0)) state.day = null;
  }
}

/**
 * The state's bars from index `from` on as objects, oldest first (new objects: changing them leaves the
 * state as it was).
 */
export function readSeriesBars(state: SeriesState, from = 0): FactBar[] {
  return toFactBars(state.bars, from);
}
