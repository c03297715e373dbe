import type { DailyStat, Mover, WindowKpi } from "@/lib/kpi/types";

/** How many gainers and how many losers a ranking lists: the dashboard, the live updates and REST. */
export const MOVERS_LIMIT = 5;

/** One symbol's change over a window or trading day, before ranking. */
export type MoverCandidate = Omit<Mover, "rank">;

/** A symbol's tumbling window as a movers candidate: its gain from first open to last close. */
export function toMoverCandidate(
  window: Pick<WindowKpi, "symbol" | "gainPct" | "lastClose" | "totalVolume">,
): MoverCandidate {
  return {
    symbol: window.symbol,
    gainPct: window.gainPct,
    lastClose: window.lastClose,
    totalVolume: window.totalVolume,
  };
}

/**
 * A symbol's trading day as a movers candidate: its change % against the previous close. Null when the
 * day has no change (no previous close is known): such a day is not ranked at all, rather than ranked
 * as a change of 0.
 */
export function toDayMoverCandidate(
  day: Pick<DailyStat, "symbol" | "changePct" | "close" | "volume">,
): MoverCandidate | null {
  if (day.changePct === null) return null;
  return { symbol: day.symbol, gainPct: day.changePct, lastClose: day.close, totalVolume: day.volume };
}

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
 * SQL (drizzle/0003_movers_rule.sql), and so do the candidates the live movers read
 * (`buildMoverCandidatesQuery`, lib/db/queries/mover-candidates.ts): tests/integration/movers-views.test.ts
 * and movers-live.test.ts pin them to it.
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
