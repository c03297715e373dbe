import type { RefFact } from "./reference-kpis";

/**
 * An independent implementation of the alert semantics (README "Alerts"), written with plain loops
 * and no code from lib/kpi, over the reference KPIs of reference-kpis.ts: which (rule, symbol, bar)
 * fire when every bar is final.
 */
export type RefRule = {
  id: number;
  condition: Record<string, unknown> & { type: string };
  symbols: readonly string[] | "all";
  cooldownMinutes: number;
  isPaused?: boolean;
};

export type RefAlert = { ruleId: number; symbol: string; barTs: number };

const up = (before: number, beforeLevel: number, now: number, nowLevel: number) =>
  before <= beforeLevel && now > nowLevel;
const down = (before: number, beforeLevel: number, now: number, nowLevel: number) =>
  before >= beforeLevel && now < nowLevel;
const pct = (from: number, to: number) => ((to - from) / from) * 100;

function conditionHolds(rule: RefRule, bars: readonly RefFact[], i: number): boolean {
  const c = rule.condition;
  const b = bars[i]!;
  const p = i > 0 ? bars[i - 1]! : null;
  const cross = c.direction === "up" ? up : down;
  // Previous trading day's last close, and whether b opens its day.
  let dayStart = i;
  while (dayStart > 0 && bars[dayStart - 1]!.tradeDate === b.tradeDate) dayStart--;
  const prevClose = dayStart > 0 ? bars[dayStart - 1]!.close : null;
  switch (c.type) {
    case "price_cross":
      return p !== null && cross(p.close, c.level as number, b.close, c.level as number);
    case "indicator_cross": {
      const key = c.indicator as "ma20" | "ema20";
      const pv = p?.[key];
      const bv = b[key];
      return p !== null && pv != null && bv != null && cross(p.close, pv, b.close, bv);
    }
    case "ma_cross": {
      if (!p || p.ma5 === null || p.ma20 === null || b.ma5 === null || b.ma20 === null) return false;
      return (c.kind === "golden" ? up : down)(p.ma5, p.ma20, b.ma5, b.ma20);
    }
    case "window_gain": {
      const size = (c.windowMinutes as number) * 60_000;
      const start = b.ts - (b.ts % size);
      const inWindow = bars.filter((x) => x.ts >= start && x.ts <= b.ts);
      const gain = (upTo: number) => pct(inWindow[0]!.open, inWindow[upTo]!.close);
      const beyond = (g: number) =>
        c.direction === "above" ? g > (c.thresholdPct as number) : g < (c.thresholdPct as number);
      const last = inWindow.length - 1;
      return beyond(gain(last)) && !(last > 0 && beyond(gain(last - 1)));
    }
    case "volume_spike": {
      const n = c.lookbackBars as number;
      if (i < n) return false;
      const mean = bars.slice(i - n, i).reduce((s, x) => s + x.volume, 0) / n;
      return mean > 0 && b.volume > (c.factor as number) * mean;
    }
    case "day_change": {
      if (prevClose === null) return false;
      const beyond = (g: number) =>
        c.direction === "above" ? g > (c.thresholdPct as number) : g < (c.thresholdPct as number);
      const wasBeyond = i > dayStart && beyond(pct(prevClose, p!.close));
      return beyond(pct(prevClose, b.close)) && !wasBeyond;
    }
    case "opening_gap": {
      if (prevClose === null || i !== dayStart) return false;
      const gap = pct(prevClose, b.open);
      return c.direction === "up" ? gap > (c.minGapPct as number) : gap < -(c.minGapPct as number);
    }
    default:
      return false;
  }
}

export function computeReferenceAlerts(facts: readonly RefFact[], rules: readonly RefRule[]): RefAlert[] {
  const out: RefAlert[] = [];
  const symbols = [...new Set(facts.map((f) => f.symbol))].sort();
  for (const symbol of symbols) {
    const bars = facts.filter((f) => f.symbol === symbol).sort((a, b) => a.ts - b.ts);
    for (const rule of rules) {
      if (rule.isPaused || (rule.symbols !== "all" && !rule.symbols.includes(symbol))) continue;
      let last: number | null = null;
      for (let i = 0; i < bars.length; i++) {
        if (!conditionHolds(rule, bars, i)) continue;
        const ts = bars[i]!.ts;
        if (last !== null && ts - last < rule.cooldownMinutes * 60_000) continue;
        out.push({ ruleId: rule.id, symbol, barTs: ts });
        last = ts;
      }
    }
  }
  return out;
}
