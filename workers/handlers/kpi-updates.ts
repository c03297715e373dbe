import type { DbOrTx } from "@/lib/db/client";
import { getDayMoversRanking } from "@/lib/db/queries/daily-stats";
import { listTopMovers } from "@/lib/db/queries/kpi-snapshots";
import { mergeProducedRanges, toKpiHeaders, type ProducedRange } from "@/lib/events/produced-at-headers";
import {
  getKpiUpdateKey,
  kpiUpdateV1Schema,
  symbolKpiUpdateV1Schema,
  SYMBOLS_UPDATE_KEY,
  type KpiUpdateV1,
  type SymbolKpiUpdateV1,
} from "@/lib/events/kpi-update-v1";
import { symbolsKpiEnvelopeV3Schema, type SymbolsKpiUpdateV3 } from "@/lib/events/kpi-update-v3";
import type { OutMessage } from "@/lib/kafka/messages";
import { MOVERS_LIMIT } from "@/lib/kpi/movers";
import type { SeriesChanges } from "@/lib/kpi/symbol-series";
import { keepNewestWindowPerLength } from "@/lib/kpi/tumbling-window";

/**
 * Changed bars sent per symbol update, the newest. A live feed changes one or two bars of a symbol a
 * pass (the minute's bar, its predecessor turning final, now and then a revision of a recent bar); only
 * a backlog (a pass of many batches, a backfill) changes more. Those it leaves out are named in the
 * message (v3 `omitted`), and a page reads them back in one request instead. At 60 a one-worker backlog
 * drain sent 27.7 MB of updates for 110,000 events, at 20 19.9 MB: JSON written by the worker, stored by
 * the broker and fetched by the web server, for pages that read the same bars back anyway.
 */
export const MAX_BARS_PER_UPDATE = 20;

/**
 * Rows a symbols message (v3) fills up to, counting each update's bars, day and windows and one more
 * for the rest of it: each row is 250 to 450 bytes of JSON (about 330 for a bar), so a message stays
 * near 100 KB, under a produce request's bound (768 KiB, lib/kafka/messages.ts) even with one update of
 * MAX_BARS_PER_UPDATE bars past it.
 */
export const SYMBOLS_MESSAGE_WEIGHT = 300;

/** What an update adds to its message, in rows (SYMBOLS_MESSAGE_WEIGHT). */
const weighUpdate = (update: SymbolKpiUpdateV1) =>
  1 + update.bars.length + update.windows.length + (update.day ? 1 : 0);

/**
 * The rankings that committed changes touched: windows by `length:start`, trading dates, and the
 * producedAt range of the events behind them (null when unknown).
 */
export type TouchedRankings = {
  windows: Map<string, { windowMinutes: number; windowStart: number }>;
  tradeDates: Set<string>;
  produced: ProducedRange | null;
};

export function createTouchedRankings(): TouchedRankings {
  return { windows: new Map(), tradeDates: new Set(), produced: null };
}

/**
 * Adds the windows and trading dates of `changes` (symbols with no bar and no day add nothing) and the
 * producedAt range of their events to `into`.
 */
export function addTouchedRankings(
  into: TouchedRankings,
  changes: ReadonlyMap<string, SeriesChanges>,
  produced: ProducedRange | null,
): void {
  into.produced = mergeProducedRanges(into.produced, produced);
  for (const change of changes.values()) {
    if (change.bars.length === 0 && change.days.length === 0) continue;
    for (const w of change.windows)
      into.windows.set(`${w.windowMinutes}:${w.windowStart}`, {
        windowMinutes: w.windowMinutes,
        windowStart: w.windowStart,
      });
    for (const d of change.days) into.tradeDates.add(d.tradeDate);
  }
}

/** The symbol updates of a pass, and per symbol whose bars they cut the start of its oldest left out. */
export type SymbolUpdates = {
  updates: SymbolKpiUpdateV1[];
  omitted: ReadonlyMap<string, number>;
};

/**
 * The `market.kpis` symbol events of committed changes: per symbol its changed bars (newest last, at
 * most MAX_BARS_PER_UPDATE: the start of the oldest left out goes to `omitted`), its newest changed day
 * and newest window of each length. No database read: they go out at once.
 */
export function buildSymbolUpdates(changes: ReadonlyMap<string, SeriesChanges>, now: number): SymbolUpdates {
  const updates: SymbolKpiUpdateV1[] = [];
  const omitted = new Map<string, number>();
  for (const [symbol, change] of changes) {
    if (change.bars.length === 0 && change.days.length === 0) continue;
    const isCut = change.bars.length > MAX_BARS_PER_UPDATE;
    if (isCut) omitted.set(symbol, change.bars[0]!.ts);
    updates.push({
      v: 1,
      type: "symbol",
      symbol,
      bars: isCut ? change.bars.slice(-MAX_BARS_PER_UPDATE) : change.bars,
      day: change.days[change.days.length - 1] ?? null,
      windows: keepNewestWindowPerLength([], change.windows),
      publishedAt: now,
    });
  }
  return { updates, omitted };
}

/**
 * The `market.kpis` movers events of touched rankings: per touched window its ranking, read back from
 * PostgreSQL so it includes every symbol, whichever worker wrote it; the trading day's ranking as
 * window `TRADING_DAY_WINDOW`, spanning that day in `exchangeTimeZone` (only the newest day touched: a
 * backfill of many days would otherwise rank every one of them). Stamped with `clock()` once the
 * rankings are read, so that `publishedAt` (and the latency measured from it) starts when the updates go
 * out, as a symbol update's does, not before the queries.
 */
export async function buildMoversUpdates(
  db: DbOrTx,
  touched: TouchedRankings,
  clock: () => number,
  exchangeTimeZone: string,
): Promise<KpiUpdateV1[]> {
  const rankings = await listTopMovers(db, [...touched.windows.values()], MOVERS_LIMIT);
  const newestDate = [...touched.tradeDates].sort().pop();
  const day = newestDate ? await getDayMoversRanking(db, newestDate, exchangeTimeZone, MOVERS_LIMIT) : null;
  const publishedAt = clock();
  const updates: KpiUpdateV1[] = rankings.map((r) => ({ v: 1, type: "movers", ...r, publishedAt }));
  if (day) updates.push({ v: 1, type: "movers", ...day, publishedAt });
  return updates;
}

/**
 * Keys each update for the topic after checking the v1 contract on every movers update and on the
 * first symbol update of the call, with its KPI_HEADERS (its `publishedAt`, and the producedAt range
 * `producedOf` gives it). Symbol updates are all built by {@link buildSymbolUpdates} from rows of one
 * type, so a field the contract lacks shows in the first as in every other; parsing each of them (a
 * full copy) was 15% of what the worker allocated in a backlog drain. Every consumer parses every
 * update it uses (lib/realtime/server.ts: those a page watches), so a bad value is still refused there.
 */
export function toKpiMessages(
  updates: readonly KpiUpdateV1[],
  producedOf: (update: KpiUpdateV1) => ProducedRange | null = () => null,
): OutMessage<KpiUpdateV1>[] {
  let symbolChecked = false;
  return updates.map((u) => {
    if (u.type === "movers" || !symbolChecked) kpiUpdateV1Schema.parse(u);
    if (u.type === "symbol") symbolChecked = true;
    return { key: getKpiUpdateKey(u), value: u, headers: toKpiHeaders(u.publishedAt, producedOf(u)) };
  });
}

/**
 * The `market.kpis` messages of a pass's symbol updates ({@link buildSymbolUpdates}, one `publishedAt`):
 * v3 symbols updates (lib/events/kpi-update-v3.ts) under SYMBOLS_UPDATE_KEY, each filled up to
 * {@link SYMBOLS_MESSAGE_WEIGHT}, in the updates' order, with the `omitted` bars of its own updates and
 * its KPI_HEADERS: the `publishedAt`, the producedAt range over the events behind its updates
 * (`producedOf` per symbol), and how many it holds. The first update and the first message's envelope
 * are checked against the contract, as {@link toKpiMessages} does.
 * The values are the messages' objects: JSON.stringify encodes each as its produce request fills.
 */
export function toSymbolsMessages(
  { updates, omitted }: SymbolUpdates,
  producedOf: (symbol: string) => ProducedRange | null = () => null,
): OutMessage<SymbolsKpiUpdateV3>[] {
  const first = updates[0];
  if (!first) return [];
  symbolKpiUpdateV1Schema.parse(first);
  const messages: OutMessage<SymbolsKpiUpdateV3>[] = [];
  let part: SymbolKpiUpdateV1[] = [];
  let partOmitted: Record<string, number> = {};
  let produced: ProducedRange | null = null;
  let weight = 0;
  const close = () => {
    messages.push({
      key: SYMBOLS_UPDATE_KEY,
      value: { v: 3, type: "symbols", publishedAt: first.publishedAt, omitted: partOmitted, updates: part },
      headers: toKpiHeaders(first.publishedAt, produced, part.length),
    });
    part = [];
    partOmitted = {};
    produced = null;
    weight = 0;
  };
  for (const update of updates) {
    part.push(update);
    const from = omitted.get(update.symbol);
    if (from !== undefined) partOmitted[update.symbol] = from;
    produced = mergeProducedRanges(produced, producedOf(update.symbol));
    weight += weighUpdate(update);
    if (weight >= SYMBOLS_MESSAGE_WEIGHT) close();
  }
  if (part.length > 0) close();
  // The envelope too (its updates are not parsed again: the first was, above).
  symbolsKpiEnvelopeV3Schema.parse(messages[0]!.value);
  return messages;
}
