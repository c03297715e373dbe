import type { TickV1 } from "@/lib/events/tick-v1";

const MINUTE = 60_000;
/** One bar in ten is sent twice: a first snapshot, then a revision (the latest one wins). */
const REVISION_EVERY = 10;

/**
 * A benchmark's events: `symbols` symbols × `minutes` one-minute bars from `firstTs`, plus a revision
 * of one bar in ten, sent minute by minute (every symbol's first snapshot of a minute, then that
 * minute's revisions). Every event is a pure function of its sequence number, so a run of 750,000
 * events needs no array, and the rows PostgreSQL must end with are known without keeping what was sent.
 * Each event's volume is its sequence number plus one: a bar received over Socket.IO names the exact
 * event behind it.
 */
export type DataSet = { symbols: number; minutes: number; firstTs: number };

export type BenchBar = Pick<TickV1, "symbol" | "ts" | "open" | "high" | "low" | "close" | "volume">;

export function getSymbolName(index: number): string {
  return `S${index}`;
}

export function listSymbolNames(dataSet: Pick<DataSet, "symbols">): string[] {
  return Array.from({ length: dataSet.symbols }, (_, i) => getSymbolName(i));
}

function assertShape(dataSet: Pick<DataSet, "symbols">): void {
  if (dataSet.symbols <= 0 || dataSet.symbols % REVISION_EVERY !== 0)
    throw new Error(`a data set's symbol count must be a positive multiple of ${REVISION_EVERY}`);
}

/** Events sent per minute of bars: every symbol once, and a tenth of them again. */
export function getEventsPerMinute(dataSet: Pick<DataSet, "symbols">): number {
  assertShape(dataSet);
  return dataSet.symbols + dataSet.symbols / REVISION_EVERY;
}

export function countEvents(dataSet: DataSet): number {
  return dataSet.minutes * getEventsPerMinute(dataSet);
}

/** Whether the bar of (symbol, minute) gets a revision (exactly one symbol in ten each minute). */
function isRevised(symbol: number, minute: number): boolean {
  return (symbol + minute) % REVISION_EVERY === 0;
}

/** Which bar event `seq` is a snapshot of, and whether it is that bar's revision. */
export function locateEvent(
  dataSet: DataSet,
  seq: number,
): { symbol: number; minute: number; isRevision: boolean } {
  const perMinute = getEventsPerMinute(dataSet);
  const minute = Math.floor(seq / perMinute);
  const j = seq % perMinute;
  if (j < dataSet.symbols) return { symbol: j, minute, isRevision: false };
  // The revised symbols of a minute are those ≡ -minute (mod 10), in ascending order.
  const first = (REVISION_EVERY - (minute % REVISION_EVERY)) % REVISION_EVERY;
  return { symbol: first + REVISION_EVERY * (j - dataSet.symbols), minute, isRevision: true };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The bar event `seq` carries (without producedAt, which is the moment it is sent). */
export function getEventBar(dataSet: DataSet, seq: number): BenchBar {
  const { symbol, minute, isRevision } = locateEvent(dataSet, seq);
  const base = 20 + (symbol % 97) * 3 + 5 * Math.sin((minute + symbol) / 9);
  const open = round2(base);
  const close = round2(base + 0.4 * Math.sin(minute * 1.7 + symbol) + (isRevision ? 0.05 : 0));
  return {
    symbol: getSymbolName(symbol),
    ts: dataSet.firstTs + minute * MINUTE,
    open,
    high: round2(Math.max(open, close) + 0.2),
    low: round2(Math.min(open, close) - 0.2),
    close,
    volume: seq + 1,
  };
}

/** The sequence number of the event a bar's volume names. */
export function getSeqOfVolume(volume: number): number {
  return volume - 1;
}

export function toTick(bar: BenchBar, producedAt: number): TickV1 {
  return { v: 1, source: "synthetic", producedAt, ...bar };
}

/** Key of a stored bar: symbol and bar start. */
export function getBarKey(bar: Pick<BenchBar, "symbol" | "ts">): string {
  return `${bar.symbol}@${bar.ts}`;
}

/**
 * The sequence number of the latest snapshot of bar (symbol, minute) among the first `sent` events, or
 * null when none of them is a snapshot of it: the revision when the bar has one and it was sent, else
 * the first snapshot.
 */
export function getLatestSnapshotSeq(
  dataSet: DataSet,
  symbol: number,
  minute: number,
  sent: number,
): number | null {
  const perMinute = getEventsPerMinute(dataSet);
  const first = minute * perMinute + symbol;
  if (first >= sent) return null;
  if (!isRevised(symbol, minute)) return first;
  const firstRevised = (REVISION_EVERY - (minute % REVISION_EVERY)) % REVISION_EVERY;
  const revision = minute * perMinute + dataSet.symbols + (symbol - firstRevised) / REVISION_EVERY;
  return revision < sent ? revision : first;
}

/**
 * The bars of symbols [fromSymbol, toSymbol) that PostgreSQL must hold once the first `sent` events are
 * applied: each bar's latest snapshot, by bar key.
 */
export function listExpectedBars(
  dataSet: DataSet,
  sent: number,
  fromSymbol = 0,
  toSymbol = dataSet.symbols,
): Map<string, BenchBar> {
  const expected = new Map<string, BenchBar>();
  for (let minute = 0; minute < dataSet.minutes; minute++)
    for (let symbol = fromSymbol; symbol < toSymbol; symbol++) {
      const seq = getLatestSnapshotSeq(dataSet, symbol, minute, sent);
      if (seq === null) continue;
      const bar = getEventBar(dataSet, seq);
      expected.set(getBarKey(bar), bar);
    }
  return expected;
}

/**
 * A data set of at least `events` events whose last minute is the one of `now`: bars of a steady-rate
 * run are dated in the past, so that the stream worker accepts them all (it refuses bars from the future).
 */
export function planSteadyDataSet(symbols: number, events: number, now: number): DataSet {
  const minutes = Math.ceil(events / getEventsPerMinute({ symbols }));
  const lastTs = Math.floor(now / MINUTE) * MINUTE;
  return { symbols, minutes, firstTs: lastTs - (minutes - 1) * MINUTE };
}
