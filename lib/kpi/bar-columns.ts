import type { Bar, FactBar } from "@/lib/kpi/types";

// Field offsets within a bar's row.
const TS = 0;
const OPEN = 1;
const HIGH = 2;
const LOW = 3;
const CLOSE = 4;
const VOLUME = 5;
const MA5 = 6;
const MA20 = 7;
const EMA20 = 8;
const VWAP = 9;
const FINAL = 10;
const STRIDE = 11;

/**
 * One symbol's bars in time order, packed: a row of eleven numbers per bar in one Float64Array (a null
 * indicator as NaN, finality as 0 or 1) and the bars' trading dates, neighbouring bars sharing one
 * string. The stream worker holds up to millions of bars: as objects each cost ≈ 300 bytes of heap
 * (every number that is not a small integer boxed) and was traced by every full collection; packed a
 * bar costs 88 bytes plus a date pointer and room to grow (119 bytes a bar in `npm run bench -- series`),
 * and only the dates are traced. NaN can stand for null because no stored value is ever NaN (the tick
 * schema refuses non-finite prices and volumes, and the indicators of finite bars are finite). Read and
 * written only through the functions below; `length` bars are valid, the rest of `data` is room to grow.
 */
export type BarColumns = {
  symbol: string;
  data: Float64Array;
  dates: string[];
  length: number;
};

/** The columns of `bars` (sorted by ts, all of `symbol`), with room for `spare` more. */
export function createBarColumns(symbol: string, bars: readonly FactBar[], spare = 16): BarColumns {
  const columns: BarColumns = {
    symbol,
    data: new Float64Array((bars.length + spare) * STRIDE),
    dates: [],
    length: 0,
  };
  for (const bar of bars) insertBar(columns, columns.length, bar);
  return columns;
}

export function getTs(c: BarColumns, i: number): number {
  return c.data[i * STRIDE + TS]!;
}

export function getClose(c: BarColumns, i: number): number {
  return c.data[i * STRIDE + CLOSE]!;
}

export function getEma20(c: BarColumns, i: number): number | null {
  return fromStored(c.data[i * STRIDE + EMA20]!);
}

export function getTradeDate(c: BarColumns, i: number): string {
  return c.dates[i]!;
}

/** Writes bar `i`'s {@link Bar} fields into `into` (a scratch object, so that reading allocates nothing). */
export function readBar(c: BarColumns, i: number, into: Bar): Bar {
  const d = c.data;
  const at = i * STRIDE;
  into.ts = d[at + TS]!;
  into.open = d[at + OPEN]!;
  into.high = d[at + HIGH]!;
  into.low = d[at + LOW]!;
  into.close = d[at + CLOSE]!;
  into.volume = d[at + VOLUME]!;
  return into;
}

/** Bar `i` as a new object. */
export function getFactBar(c: BarColumns, i: number): FactBar {
  const d = c.data;
  const at = i * STRIDE;
  return {
    ts: d[at + TS]!,
    open: d[at + OPEN]!,
    high: d[at + HIGH]!,
    low: d[at + LOW]!,
    close: d[at + CLOSE]!,
    volume: d[at + VOLUME]!,
    symbol: c.symbol,
    tradeDate: c.dates[i]!,
    ma5: fromStored(d[at + MA5]!),
    ma20: fromStored(d[at + MA20]!),
    ema20: fromStored(d[at + EMA20]!),
    vwap: fromStored(d[at + VWAP]!),
    isFinal: d[at + FINAL] === 1,
  };
}

/** Bars `from` to `to` (exclusive) as new objects. */
export function toFactBars(c: BarColumns, from = 0, to = c.length): FactBar[] {
  const out = new Array<FactBar>(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = getFactBar(c, i);
  return out;
}

/** Index of the first bar with ts >= `ts` (`length` when none). */
export function findColumnsLowerBound(c: BarColumns, ts: number): number {
  const d = c.data;
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d[mid * STRIDE + TS]! < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Replaces bar `i`'s OHLCV (a revision of the same minute); its indicators stay until recomputed. */
export function reviseBar(c: BarColumns, i: number, bar: Bar): void {
  writeOhlcv(c.data, i * STRIDE, bar);
}

/** Whether bar `i` already holds these indicators and finality. */
export function hasIndicators(
  c: BarColumns,
  i: number,
  ma5: number | null,
  ma20: number | null,
  ema20: number | null,
  vwap: number | null,
  isFinal: boolean,
): boolean {
  const d = c.data;
  const at = i * STRIDE;
  return (
    fromStored(d[at + MA5]!) === ma5 &&
    fromStored(d[at + MA20]!) === ma20 &&
    fromStored(d[at + EMA20]!) === ema20 &&
    fromStored(d[at + VWAP]!) === vwap &&
    (d[at + FINAL] === 1) === isFinal
  );
}

export function setIndicators(
  c: BarColumns,
  i: number,
  ma5: number | null,
  ma20: number | null,
  ema20: number | null,
  vwap: number | null,
  isFinal: boolean,
): void {
  const d = c.data;
  const at = i * STRIDE;
  d[at + MA5] = toStored(ma5);
  d[at + MA20] = toStored(ma20);
  d[at + EMA20] = toStored(ema20);
  d[at + VWAP] = toStored(vwap);
  d[at + FINAL] = isFinal ? 1 : 0;
}

/** Whether bar `i` is final. */
export function getIsFinal(c: BarColumns, i: number): boolean {
  return c.data[i * STRIDE + FINAL] === 1;
}

export function setIsFinal(c: BarColumns, i: number, isFinal: boolean): void {
  c.data[i * STRIDE + FINAL] = isFinal ? 1 : 0;
}

/** Inserts `bar` at index `i` (keeping time order is the caller's part), growing the room by half when full. */
export function insertBar(c: BarColumns, i: number, bar: FactBar): void {
  if ((c.length + 1) * STRIDE > c.data.length) {
    const grown = new Float64Array(Math.max(16, Math.ceil((c.length + 1) * 1.5)) * STRIDE);
    grown.set(c.data.subarray(0, c.length * STRIDE));
    c.data = grown;
  }
  const d = c.data;
  const at = i * STRIDE;
  if (i < c.length) d.copyWithin(at + STRIDE, at, c.length * STRIDE);
  writeOhlcv(d, at, bar);
  setIndicators(c, i, bar.ma5, bar.ma20, bar.ema20, bar.vwap, bar.isFinal);
  // Neighbouring bars of one day share its string.
  const before = i > 0 ? c.dates[i - 1] : undefined;
  const after = i < c.length ? c.dates[i] : undefined;
  const date = bar.tradeDate === before ? before : bar.tradeDate === after ? after : bar.tradeDate;
  if (i === c.length) c.dates.push(date);
  else c.dates.splice(i, 0, date);
  c.length++;
}

/** Drops the `n` oldest bars, and the room they leave when it exceeds the bars kept. */
export function dropOldestBars(c: BarColumns, n: number): void {
  if (n <= 0) return;
  const kept = Math.max(0, c.length - n);
  if (c.data.length > 2 * (kept + 16) * STRIDE) {
    const shrunk = new Float64Array((kept + 16) * STRIDE);
    shrunk.set(c.data.subarray(n * STRIDE, c.length * STRIDE));
    c.data = shrunk;
  } else {
    c.data.copyWithin(0, n * STRIDE, c.length * STRIDE);
  }
  c.dates.splice(0, n);
  c.length = kept;
}

function writeOhlcv(d: Float64Array, at: number, bar: Bar): void {
  d[at + TS] = bar.ts;
  d[at + OPEN] = bar.open;
  d[at + HIGH] = bar.high;
  d[at + LOW] = bar.low;
  d[at + CLOSE] = bar.close;
  d[at + VOLUME] = bar.volume;
}

function toStored(value: number | null): number {
  return value === null ? NaN : value;
}

function fromStored(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
