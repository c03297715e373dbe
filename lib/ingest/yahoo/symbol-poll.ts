import type { TickV1 } from "@/lib/events/tick-v1";
import type { DriverDeps } from "@/lib/ingest/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import type { YahooClient } from "@/lib/ingest/yahoo/client";
import { fetchYahooChart } from "@/lib/ingest/yahoo/chart";
import {
  advanceChartCursor,
  keepLatestSession,
  planChartWindow,
  recordSentBars,
  selectChangedBars,
  type ChartCursor,
} from "@/lib/ingest/yahoo/chart-cursor";

export type YahooSymbolPoll = {
  yf: YahooClient;
  symbol: IngestSymbol;
  cursor: ChartCursor;
  clock: () => number;
  publisher: DriverDeps["publisher"];
  onValidationError?: (error: unknown) => void;
};

/**
 * Brings one symbol up to date: one chart request per window of at most 7 days from its cursor to now,
 * oldest first, enqueueing the bars that are new or revised after each. Stops early when the publisher's
 * buffer is full (the cursor keeps the place). A thrown error leaves the cursor at the last finished window.
 */
export async function pollYahooSymbol(
  poll: YahooSymbolPoll,
): Promise<{ published: number; regularStart: number | null }> {
  const { cursor, symbol } = poll;
  let published = 0;
  let regularStart: number | null = null;
  for (;;) {
    const now = poll.clock();
    const window = planChartWindow(cursor, now);
    if (!window) {
      cursor.isCaughtUp = true;
      break;
    }
    const chart = await fetchYahooChart(poll.yf, symbol.symbol, window, poll.onValidationError);
    regularStart = chart.regularStart ?? regularStart;
    const bars =
      cursor.fetchFrom === null
        ? keepLatestSession(chart.bars, chart.exchangeTimeZone ?? symbol.timeZone)
        : chart.bars;
    const changed = selectChangedBars(cursor, bars);
    if (changed.length > 0) {
      const producedAt = poll.clock();
      const ticks: TickV1[] = changed.map((bar) => ({
        v: 1,
        symbol: symbol.symbol,
        source: "yahoo",
        producedAt,
        ...bar,
      }));
      published += poll.publisher.enqueue(ticks);
      recordSentBars(cursor, changed);
    }
    advanceChartCursor(cursor, window, bars, now);
    if (cursor.isCaughtUp || !poll.publisher.canAccept()) break;
  }
  return { published, regularStart };
}
