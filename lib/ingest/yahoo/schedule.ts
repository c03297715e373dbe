/** Market state as the admin sees it (Yahoo's PREPRE / POSTPOST fold into pre / post). */
export type MarketState = "open" | "pre" | "post" | "closed";

const MARKET_STATES: Record<string, MarketState> = {
  REGULAR: "open",
  PRE: "pre",
  PREPRE: "pre",
  POST: "post",
  POSTPOST: "post",
  CLOSED: "closed",
};

/** Right after the expected open, poll at the open cadence even if Yahoo still says pre-market. */
const OPENING_GRACE_MS = 15 * 60_000;

export function toMarketState(yahooState: string | null): MarketState | null {
  if (!yahooState) return null;
  return MARKET_STATES[yahooState.toUpperCase()] ?? "closed";
}

/** What the schedule of one symbol depends on. */
export type SymbolTiming = {
  marketState: MarketState | null;
  isCaughtUp: boolean;
  /** regularMarketTime of the latest quote, and of the quote current when the chart was last fetched. */
  quoteTime: number | null;
  fetchedQuoteTime: number | null;
  /** Start of the regular session Yahoo's chart called current, if known. */
  nextOpenAt: number | null;
};

/**
 * Whether a chart request can be skipped: the market is outside its regular session (bars are
 * regular-session only) and Yahoo reports no trade since the chart was last fetched.
 */
export function hasNothingNew(timing: SymbolTiming): boolean {
  if (!timing.isCaughtUp || timing.marketState === null || timing.marketState === "open") return false;
  return (
    timing.quoteTime !== null &&
    timing.fetchedQuoteTime !== null &&
    timing.quoteTime <= timing.fetchedQuoteTime
  );
}

/**
 * When to poll a symbol next: at once while catching up; every `openMs` in (or around the start of)
 * its regular session or while its state is unknown; otherwise every `closedMs`, but no later than
 * the next known open.
 */
export function computeNextPollAt(
  timing: SymbolTiming,
  now: number,
  intervals: { openMs: number; closedMs: number },
): number {
  const { openMs } = intervals;
  if (!timing.isCaughtUp) return now;
  if (timing.marketState === null || timing.marketState === "open") return now + openMs;
  const { nextOpenAt } = timing;
  if (nextOpenAt !== null && now >= nextOpenAt && now < nextOpenAt + OPENING_GRACE_MS) return now + openMs;
  const closedAt = now + Math.max(openMs, intervals.closedMs);
  return nextOpenAt !== null && nextOpenAt > now ? Math.min(closedAt, nextOpenAt) : closedAt;
}
