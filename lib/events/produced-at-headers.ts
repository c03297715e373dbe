import type { TickV1 } from "@/lib/events/tick-v1";
import { decodeHeaderValue } from "@/lib/events/header-value";
import { KPI_HEADERS } from "@/lib/events/topics";

/** The oldest and newest producedAt (epoch ms) of the events behind a result. */
export type ProducedRange = { oldest: number; newest: number };

/** The producedAt range of `ticks` per symbol and over all of them (null when there are none). */
export function summarizeProducedAt(ticks: readonly Pick<TickV1, "symbol" | "producedAt">[]): {
  bySymbol: Map<string, ProducedRange>;
  all: ProducedRange | null;
} {
  // Ranges widened in place: a batch of thousands of ticks allocates one range per symbol, not per tick.
  const bySymbol = new Map<string, ProducedRange>();
  let all: ProducedRange | null = null;
  for (const { symbol, producedAt } of ticks) {
    const seen = bySymbol.get(symbol);
    if (seen) widen(seen, producedAt);
    else bySymbol.set(symbol, { oldest: producedAt, newest: producedAt });
    if (all) widen(all, producedAt);
    else all = { oldest: producedAt, newest: producedAt };
  }
  return { bySymbol, all };
}

function widen(range: ProducedRange, at: number): void {
  if (at < range.oldest) range.oldest = at;
  if (at > range.newest) range.newest = at;
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

/**
 * The KPI_HEADERS of one `market.kpis` message: its update's `publishedAt`, the producedAt range of the
 * events behind it when known, and for a symbols message the number of its updates.
 */
export function toKpiHeaders(
  publishedAt: number,
  range: ProducedRange | null,
  updates?: number,
): Record<string, string> {
  return {
    [KPI_HEADERS.publishedAt]: String(publishedAt),
    ...(range ? toProducedAtHeaders(range) : {}),
    ...(updates === undefined ? {} : { [KPI_HEADERS.updates]: String(updates) }),
  };
}

/**
 * The `publishedAt` carried by a message's headers, decoded or as Kafka clients give them
 * (decodeHeaderValue), or null when absent or malformed (older workers).
 */
export function readPublishedAtHeader(headers: Readonly<Record<string, unknown>> | undefined): number | null {
  const text = decodeHeaderValue(headers?.[KPI_HEADERS.publishedAt]);
  const publishedAt = text === undefined ? NaN : Number(text);
  return Number.isSafeInteger(publishedAt) && publishedAt > 0 ? publishedAt : null;
}

/**
 * The number of updates a symbols message's headers give, decoded or as Kafka clients give them
 * (decodeHeaderValue), or null when absent or malformed (older workers).
 */
export function readUpdateCountHeader(headers: Readonly<Record<string, unknown>> | undefined): number | null {
  const text = decodeHeaderValue(headers?.[KPI_HEADERS.updates]);
  const count = text === undefined ? NaN : Number(text);
  return Number.isSafeInteger(count) && count > 0 ? count : null;
}

/** The range carried by decoded message headers, or null when absent or malformed (older workers). */
export function readProducedAtHeaders(headers: Record<string, string>): ProducedRange | null {
  const oldest = Number(headers[KPI_HEADERS.oldestProducedAt]);
  const newest = Number(headers[KPI_HEADERS.newestProducedAt]);
  if (!Number.isSafeInteger(oldest) || !Number.isSafeInteger(newest) || oldest <= 0 || oldest > newest)
    return null;
  return { oldest, newest };
}
