import { toCsv, toCsvFileName, type CsvColumn } from "@/lib/kpi/csv";
import type { WatchlistRow } from "@/lib/kpi/watchlist-row";
import { computeDayRangePosition } from "@/lib/kpi/watchlist-view";

/** The watchlist's CSV columns: the figures in full precision, times in ISO 8601 UTC. */
export const WATCHLIST_CSV_COLUMNS: readonly CsvColumn<WatchlistRow>[] = [
  { header: "symbol", value: (r) => r.symbol },
  { header: "name", value: (r) => r.displayName },
  { header: "status", value: (r) => r.status },
  { header: "trade_date", value: (r) => r.tradeDate },
  { header: "last_bar_utc", value: (r) => (r.lastTs === null ? null : new Date(r.lastTs).toISOString()) },
  { header: "last", value: (r) => r.last },
  { header: "change_pct", value: (r) => r.changePct },
  { header: "volume", value: (r) => r.volume },
  { header: "day_low", value: (r) => r.dayLow },
  { header: "day_high", value: (r) => r.dayHigh },
  { header: "day_range_position", value: (r) => computeDayRangePosition(r) },
];

/** Downloads the rows as shown (filtered and sorted) as a CSV file. */
export function downloadWatchlistCsv(rows: readonly WatchlistRow[], now = new Date()): void {
  const blob = new Blob([toCsv(WATCHLIST_CSV_COLUMNS, rows)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = toCsvFileName(["watchlist", now.toISOString().slice(0, 10)]);
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
