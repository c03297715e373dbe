/**
 * An independent implementation of the KPI definitions (README "KPI definitions"), written with plain
 * loops and no code from lib/kpi, to check what the pipeline stores.
 */
export type RefBar = {
  symbol: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

export type RefFact = RefBar & {
  tradeDate: string;
  ma5: number | null;
  ma20: number | null;
  ema20: number | null;
  vwap: number | null;
};
export type RefDay = {
  symbol: string;
  tradeDate: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  prevClose: number | null;
  changePct: number | null;
  dayRange: number;
  vwap: number | null;
  barCount: number;
};
export type RefWindow = {
  symbol: string;
  windowMinutes: number;
  windowStart: number;
  avgPrice: number;
  vwap: number | null;
  totalVolume: number;
  gainPct: number;
  barCount: number;
};

const nyDate = (ts: number) => new Date(ts).toLocaleDateString("sv-SE", { timeZone: "America/New_York" });
const typical = (b: RefBar) => (b.high + b.low + b.close) / 3;

function average(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function computeReference(input: readonly RefBar[], windows: readonly number[]) {
  const facts: RefFact[] = [];
  const days: RefDay[] = [];
  const wins: RefWindow[] = [];
  const symbols = [...new Set(input.map((b) => b.symbol))].sort();
  for (const symbol of symbols) {
    const bars = input.filter((b) => b.symbol === symbol).sort((a, b) => a.ts - b.ts);
    let ema: number | null = null;
    let day = "";
    let pv = 0;
    let vol = 0;
    bars.forEach((b, i) => {
      const d = nyDate(b.ts);
      if (d !== day) {
        day = d;
        pv = 0;
        vol = 0;
      }
      pv += typical(b) * b.volume;
      vol += b.volume;
      const closes = bars.slice(Math.max(0, i - 19), i + 1).map((x) => x.close);
      const ma5 = i >= 4 ? average(closes.slice(-5)) : null;
      const ma20 = i >= 19 ? average(closes) : null;
      ema = ema === null ? ma20 : ema + (2 / 21) * (b.close - ema);
      facts.push({ ...b, tradeDate: d, ma5, ma20, ema20: ema, vwap: vol > 0 ? pv / vol : null });
    });
    const byDay = new Map<string, RefBar[]>();
    for (const b of bars) byDay.set(nyDate(b.ts), [...(byDay.get(nyDate(b.ts)) ?? []), b]);
    let prevClose: number | null = null;
    for (const [tradeDate, dbars] of [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const high = Math.max(...dbars.map((b) => b.high));
      const low = Math.min(...dbars.map((b) => b.low));
      const volume = dbars.reduce((s, b) => s + b.volume, 0);
      const close = dbars[dbars.length - 1]!.close;
      const dayPv = dbars.reduce((s, b) => s + typical(b) * b.volume, 0);
      days.push({
        symbol,
        tradeDate,
        open: dbars[0]!.open,
        high,
        low,
        close,
        volume,
        prevClose,
        changePct: prevClose === null ? null : ((close - prevClose) / prevClose) * 100,
        dayRange: high - low,
        vwap: volume > 0 ? dayPv / volume : null,
        barCount: dbars.length,
      });
      prevClose = close;
    }
    for (const minutes of windows) {
      const size = minutes * 60_000;
      const groups = new Map<number, RefBar[]>();
      for (const b of bars) {
        const start = b.ts - (b.ts % size);
        groups.set(start, [...(groups.get(start) ?? []), b]);
      }
      for (const [windowStart, g] of groups) {
        const volume = g.reduce((s, b) => s + b.volume, 0);
        wins.push({
          symbol,
          windowMinutes: minutes,
          windowStart,
          avgPrice: average(g.map((b) => b.close)),
          vwap: volume > 0 ? g.reduce((s, b) => s + typical(b) * b.volume, 0) / volume : null,
          totalVolume: volume,
          gainPct: ((g[g.length - 1]!.close - g[0]!.open) / g[0]!.open) * 100,
          barCount: g.length,
        });
      }
    }
  }
  return { facts, days, windows: wins };
}

/** Relative closeness for floats computed in a different order (sums of hundreds of values). */
export function isClose(actual: number | null, expected: number | null, tolerance = 1e-9): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}
