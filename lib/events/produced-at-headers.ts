import type { TickV1 } from "@/lib/events/tick-v1";
import { KPI_HEADERS } from "@/lib/events/topics";

/** The oldest and newest producedAt (epoch ms) of the events behind a result. */
export type ProducedRange = { oldest: number; newest: number };

/** The producedAt range of `ticks` per symbol and over all of them (null when there are none). */
export function summarizeProducedAt(ticks: readonly Pick<TickV1, "symbol" | "producedAt">[]): {
  bySymbol: Map<string, ProducedRange>;
  all: ProducedRange | null;
} {
  const bySymbol = new Map<string, ProducedRange>();
  let all: ProducedRange | null = null;
  for (const { symbol, producedAt } of ticks) {
    const seen = bySymbol.get(symbol);
    bySymbol.set(symbol, widen(seen, producedAt));
    all = widen(all ?? undefined, producedAt);
  }
  return { bySymbol, all };
}

function widen(range: ProducedRange | undefined, at: number): ProducedRange {
  return range
    ? { oldest: Math.min(range.oldest, at), newest: Math.max(range.newest, at) }
    : { oldest: at, newest: at };
}

/** The range spanning both (either may be null). */
export function mergeProducedRanges(a: ProducedRange | null, b: ProducedRange | null): ProducedRange | null {
  if (!a || !b) return a ?? b;
  return { oldest: Math.min(a.oldest, b.oldest), newest: Math.max(a.newest, b.newest) };
}

/** The KPI_HEADERS of a range, for a `market.kpis` message. */
export function toProducedAtHeaders(range: ProducedRange): Record<string, string> {
  return {
    [KPI_HEADERS.oldestProducedAt]: String(range.oldest),
    [KPI_HEADERS.newestProducedAt]: String(range.newest),
  };
}

/** The range carried by decoded message headers, or null when absent or malformed (older workers). */
export function readProducedAtHeaders(headers: Record<string, string>): ProducedRange | null {
  const oldest = Number(headers[KPI_HEADERS.oldestProducedAt]);
  const newest = Number(headers[KPI_HEADERS.newestProducedAt]);
  if (!Number.isSafeInteger(oldest) || !Number.isSafeInteger(newest) || oldest <= 0 || oldest > newest)
    return null;
  return { oldest, newest };
}
