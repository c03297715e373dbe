import type { Mover } from "@/lib/kpi/types";

/** One symbol's change over a window or trading day, before ranking. */
export type MoverCandidate = Omit<Mover, "rank">;

export type MoversRanking = { gainers: Mover[]; losers: Mover[] };

/**
 * Orders symbols by code unit, the order of PostgreSQL's `COLLATE "C"` for the ASCII tickers the symbol
 * schema allows. `localeCompare` would follow the runtime's locale and could disagree with the views.
 */
export function compareSymbols(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The movers rule: the top `limit` gainers (gain > 0, highest first) and losers (gain < 0, lowest
 * first) of one window or trading day, ties broken by symbol (`compareSymbols`). Each list is ranked
 * 1..n on its own, so ranks have no gaps. A gain of exactly 0 (or not a finite number) is neither a
 * gain nor a loss: such a symbol is in no list, and with fewer than `limit` risers the gainers list is
 * simply shorter. The views `top_movers`, `bi.top_movers` and `bi.latest_movers` repeat this rule in
 * SQL (drizzle/0003_movers_rule.sql); tests/integration/movers-views.test.ts pins them to it.
 */
export function rankMovers(candidates: readonly MoverCandidate[], limit: number): MoversRanking {
  const rank = (list: MoverCandidate[]): Mover[] =>
    list.slice(0, Math.max(0, limit)).map((m, i) => ({ ...m, rank: i + 1 }));
  const gainers = candidates
    .filter((m) => m.gainPct > 0 && Number.isFinite(m.gainPct))
    .sort((a, b) => b.gainPct - a.gainPct || compareSymbols(a.symbol, b.symbol));
  const losers = candidates
    .filter((m) => m.gainPct < 0 && Number.isFinite(m.gainPct))
    .sort((a, b) => a.gainPct - b.gainPct || compareSymbols(a.symbol, b.symbol));
  return { gainers: rank(gainers), losers: rank(losers) };
}
