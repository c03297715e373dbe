import type { DbOrTx } from "@/lib/db/client";
import { getDayMoversRanking } from "@/lib/db/queries/daily-stats";
import { listTopMovers } from "@/lib/db/queries/kpi-snapshots";
import { getKpiUpdateKey, kpiUpdateV1Schema, type KpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { OutMessage } from "@/lib/kafka/messages";
import { MOVERS_LIMIT } from "@/lib/kpi/movers";
import type { SeriesChanges } from "@/lib/kpi/symbol-series";
import { keepNewestWindowPerLength } from "@/lib/kpi/tumbling-window";

/** Changed bars sent per symbol update; a late bar can change up to 19 later averages. */
const MAX_BARS_PER_UPDATE = 60;

/**
 * Builds the `market.kpis` events of one committed batch: per symbol its changed bars (newest last),
 * its newest changed day and newest window of each length; per touched window its movers ranking,
 * read back from PostgreSQL so it includes every symbol, whichever worker wrote it. The trading day's
 * ranking goes out as window `TRADING_DAY_WINDOW`, spanning that day in `exchangeTimeZone`.
 */
export async function buildKpiUpdates(
  db: DbOrTx,
  changes: ReadonlyMap<string, SeriesChanges>,
  now: number,
  exchangeTimeZone: string,
): Promise<KpiUpdateV1[]> {
  const updates: KpiUpdateV1[] = [];
  const windowKeys = new Map<string, { windowMinutes: number; windowStart: number }>();
  const tradeDates = new Set<string>();
  for (const [symbol, change] of changes) {
    if (change.bars.length === 0 && change.days.length === 0) continue;
    for (const w of change.windows) {
      windowKeys.set(`${w.windowMinutes}:${w.windowStart}`, {
        windowMinutes: w.windowMinutes,
        windowStart: w.windowStart,
      });
    }
    const day = change.days[change.days.length - 1] ?? null;
    for (const d of change.days) tradeDates.add(d.tradeDate);
    updates.push({
      v: 1,
      type: "symbol",
      symbol,
      bars: change.bars.slice(-MAX_BARS_PER_UPDATE),
      day,
      windows: keepNewestWindowPerLength([], change.windows),
      publishedAt: now,
    });
  }
  const rankings = await listTopMovers(db, [...windowKeys.values()], MOVERS_LIMIT);
  for (const r of rankings) updates.push({ v: 1, type: "movers", ...r, publishedAt: now });
  // Only the newest day touched: a backfill of many days would otherwise rank every one of them.
  const newestDate = [...tradeDates].sort().pop();
  if (newestDate) {
    const ranking = await getDayMoversRanking(db, newestDate, exchangeTimeZone, MOVERS_LIMIT);
    updates.push({ v: 1, type: "movers", ...ranking, publishedAt: now });
  }
  return updates;
}

/** Validates each update against the v1 contract and keys it for the topic. */
export function toKpiMessages(updates: readonly KpiUpdateV1[]): OutMessage<KpiUpdateV1>[] {
  return updates.map((u) => ({ key: getKpiUpdateKey(u), value: kpiUpdateV1Schema.parse(u) }));
}
