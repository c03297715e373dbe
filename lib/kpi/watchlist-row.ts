import type { DailyStat, FactBar } from "@/lib/kpi/types";

/**
 * One row of the watchlist (every followed symbol's trading day at a glance) and how live updates fold
 * into it. The server builds rows from `daily_stats` and `fact_prices` (app/_data/watchlist.ts); the
 * web process turns each symbol's KPI update into a {@link WatchlistTick} (toWatchlistTick) and sends
 * the ticks of a second together; the browser merges them with {@link mergeWatchlistTicks}.
 */

/** Followed symbols: active ones, and paused ones (shown, marked, not updating). */
export type WatchlistStatus = "active" | "paused";

/** A sparkline point: bar start (epoch ms) and the close of the last bar it stands for. */
export type SparkPoint = [ts: number, close: number];

export type WatchlistRow = {
  symbol: string;
  displayName: string | null;
  status: WatchlistStatus;
  /** The symbol's newest trading day (exchange time zone); null (and every figure null) before its first bar. */
  tradeDate: string | null;
  /** Start of the day's newest bar. */
  lastTs: number | null;
  /** Close of the day's newest bar. */
  last: number | null;
  /** Change against the previous trading day's close; null on the symbol's first day. */
  changePct: number | null;
  volume: number | null;
  dayHigh: number | null;
  dayLow: number | null;
  /** The day's closes, downsampled (lib/kpi/downsample.ts), oldest first. */
  spark: SparkPoint[];
};

/** The day figures of one symbol after a stream-worker commit, with the closes of the bars it changed. */
export type WatchlistTick = {
  symbol: string;
  tradeDate: string;
  lastTs: number;
  last: number;
  changePct: number | null;
  volume: number;
  dayHigh: number;
  dayLow: number;
  bars: SparkPoint[];
  /**
   * Present when the stream worker left some of the day's changed bars out of the update (a backlog:
   * lib/events/kpi-update-v3.ts): the start of the oldest of them. Every bar from it up to `bars` changed
   * too: a sparkline that merged `bars` would be drawn straight across them, so none is merged (nor
   * those of later ticks of the day: LiveWatchlistRow) and the page reads the list again.
   */
  omittedFrom?: number;
};

/** The most points a live-extended sparkline keeps before neighbouring points are merged. */
export const MAX_SPARK_POINTS = 96;
const MINUTE = 60_000;

/**
 * The sparkline with the given bars folded in. A bar at or after the last point's bucket end opens a
 * new point; one inside the last bucket sets its close (updates of one symbol arrive in commit order,
 * so the later one is the newer close); a bar of an earlier bucket is left out: the line shows the
 * trend, and the REST reload after a reconnect redraws it exactly. The bucket width is the spacing of
 * the first two points (one minute for a line of fewer points). Past MAX_SPARK_POINTS, neighbouring
 * points are merged pairwise (first ts, last close), as downsampleBars merges bars.
 */
export function mergeSparkline(spark: readonly SparkPoint[], bars: readonly SparkPoint[]): SparkPoint[] {
  // Copies the array, never its points: a tick replaces the last point rather than editing it, so the
  // other 499 rows' sparklines cost nothing and the previous line stays intact.
  const out = spark.slice();
  const width = out.length >= 2 ? out[1]![0] - out[0]![0] : MINUTE;
  for (const [ts, close] of [...bars].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (!last || ts >= last[0] + width) out.push([ts, close]);
    else if (ts >= last[0]) out[out.length - 1] = [last[0], close];
  }
  if (out.length <= MAX_SPARK_POINTS) return out;
  const halved: SparkPoint[] = [];
  for (let i = 0; i < out.length; i += 2) halved.push([out[i]![0], (out[i + 1] ?? out[i]!)[1]]);
  return halved;
}

/**
 * A bar as a sparkline point, its close to six significant digits: the line is 28 px high, so more
 * digits change nothing on screen and only make the list of 500 symbols heavier to send and parse.
 */
export function toSparkPoint(bar: { ts: number; close: number }): SparkPoint {
  return [bar.ts, Number(bar.close.toPrecision(6))];
}

/**
 * A row as the page holds it: `sparkCut` once a live tick has left bars out of its line, which is then
 * neither extended nor redrawn (it would be drawn straight across the bars left out) until the page
 * reads the list again (isSparklineCut); the server never sends it.
 */
export type LiveWatchlistRow = WatchlistRow & { sparkCut?: true };

/**
 * One row with a tick of its symbol applied. A tick of an earlier trading day than the row's (a late
 * bar) leaves it as it is; one of a later day starts the day afresh (its sparkline too); one of the
 * same day replaces the figures. A tick that left bars out (`omittedFrom`), and every tick of that day
 * after it, add none of their bars to the sparkline: the line stays as it was (empty on a new day),
 * marked `sparkCut`, until the list is read again. Returns `row` itself when nothing changes, so
 * memoised rows skip.
 */
export function mergeWatchlistTick(row: LiveWatchlistRow, tick: WatchlistTick): LiveWatchlistRow {
  if (tick.symbol !== row.symbol) return row;
  if (row.tradeDate !== null && tick.tradeDate < row.tradeDate) return row;
  const { sparkCut, ...held } = row;
  const isSameDay = held.tradeDate === tick.tradeDate;
  const line = isSameDay ? held.spark : [];
  const isCut = tick.omittedFrom !== undefined || (isSameDay && sparkCut === true);
  const merged: WatchlistRow = {
    ...held,
    tradeDate: tick.tradeDate,
    lastTs: tick.lastTs,
    last: tick.last,
    changePct: tick.changePct,
    volume: tick.volume,
    dayHigh: tick.dayHigh,
    dayLow: tick.dayLow,
    spark: isCut ? line : mergeSparkline(line, tick.bars),
  };
  return isCut ? { ...merged, sparkCut: true } : merged;
}

/**
 * The rows with a batch of ticks applied, in the same order. Rows without a tick keep their identity;
 * ticks of symbols the list does not hold are ignored (a symbol added meanwhile comes with the reload
 * that `symbols:changed` triggers). Returns `rows` itself when no row changed.
 */
export function mergeWatchlistTicks(
  rows: readonly LiveWatchlistRow[],
  ticks: readonly WatchlistTick[],
): readonly LiveWatchlistRow[] {
  if (ticks.length === 0) return rows;
  const bySymbol = new Map<string, WatchlistTick[]>();
  for (const t of ticks) {
    const list = bySymbol.get(t.symbol);
    if (list) list.push(t);
    else bySymbol.set(t.symbol, [t]);
  }
  let changed = false;
  const next = rows.map((row) => {
    const mine = bySymbol.get(row.symbol);
    if (!mine) return row;
    const merged = mine.reduce(mergeWatchlistTick, row);
    if (merged !== row) changed = true;
    return merged;
  });
  return changed ? next : rows;
}

/**
 * A symbol update's tick: the day's figures and the closes of its changed bars of that day, and where
 * the bars the worker left out of the update start (`omittedFrom`, from `symbol:updated`) when some of
 * them may be of that day: not when the oldest bar sent is of an earlier day, since those left out are
 * older still. Null without a day (nothing the watchlist shows changed).
 */
export function toWatchlistTick(
  bars: readonly Pick<FactBar, "ts" | "close" | "tradeDate">[],
  day: DailyStat | null,
  omittedFrom?: number,
): WatchlistTick | null {
  if (!day) return null;
  const tick: WatchlistTick = {
    symbol: day.symbol,
    tradeDate: day.tradeDate,
    lastTs: day.lastTs,
    last: day.close,
    changePct: day.changePct,
    volume: day.volume,
    dayHigh: day.high,
    dayLow: day.low,
    bars: bars.filter((b) => b.tradeDate === day.tradeDate).map(toSparkPoint),
  };
  if (omittedFrom === undefined) return tick;
  const oldest = bars.reduce<(typeof bars)[number] | undefined>(
    (o, b) => (o && o.ts <= b.ts ? o : b),
    undefined,
  );
  return oldest && oldest.tradeDate < day.tradeDate ? tick : { ...tick, omittedFrom };
}

/**
 * Two ticks of one symbol as one, `b` the later: its figures win unless it is of an earlier day (a late
 * bar); the bars of both are kept (the later close of a minute wins), so the sparkline misses none, and
 * so is the older start of the bars either left out.
 */
export function combineWatchlistTicks(a: WatchlistTick, b: WatchlistTick): WatchlistTick {
  if (b.tradeDate < a.tradeDate) return a;
  if (b.tradeDate > a.tradeDate) return b;
  const closes = new Map(a.bars.map(([ts, close]) => [ts, close]));
  for (const [ts, close] of b.bars) closes.set(ts, close);
  const combined: WatchlistTick = { ...b, bars: [...closes].sort((x, y) => x[0] - y[0]) };
  const omittedFrom = Math.min(a.omittedFrom ?? Infinity, b.omittedFrom ?? Infinity);
  if (omittedFrom !== Infinity) combined.omittedFrom = omittedFrom;
  return combined;
}

/**
 * Whether a batch of ticks left bars out of a sparkline of the list the page holds (shown or not): a
 * tick with `omittedFrom` for a row it is merged into (not of an earlier day than the row's). The page
 * then reads the list again, the line having been left as it was.
 */
export function isSparklineCut(rows: readonly WatchlistRow[], ticks: readonly WatchlistTick[]): boolean {
  const cut = ticks.filter((t) => t.omittedFrom !== undefined);
  if (cut.length === 0) return false;
  const rowOf = new Map(rows.map((r) => [r.symbol, r]));
  return cut.some((t) => {
    const row = rowOf.get(t.symbol);
    return row !== undefined && (row.tradeDate === null || t.tradeDate >= row.tradeDate);
  });
}
