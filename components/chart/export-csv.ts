import { toCsv, toCsvFileName, type CsvColumn } from "@/lib/kpi/csv";
import { OVERLAY_LABELS, type Overlay } from "@/lib/kpi/chart-view";

import type { ChartPoint } from "@/components/chart/chart-points";

/**
 * The CSV of what the chart shows: its bars (merged ones as drawn), the overlays picked and, when
 * comparing, each symbol's % change. Loaded on the first click of Export only.
 */
export function downloadChartCsv(input: {
  symbol: string;
  rangeLabel: string;
  points: readonly ChartPoint[];
  overlays: readonly Overlay[];
  compare: readonly string[];
}): void {
  const columns: CsvColumn<ChartPoint>[] = [
    { header: "time_utc", value: (p) => new Date(p.ts).toISOString() },
    { header: "symbol", value: () => input.symbol },
    { header: "trade_date", value: (p) => p.tradeDate },
    { header: "open", value: (p) => p.open },
    { header: "high", value: (p) => p.high },
    { header: "low", value: (p) => p.low },
    { header: "close", value: (p) => p.close },
    { header: "volume", value: (p) => p.volume },
    ...input.overlays.map((o) => ({ header: OVERLAY_LABELS[o], value: (p: ChartPoint) => p[o] })),
    ...(input.compare.length > 0
      ? [
          { header: `${input.symbol} change %`, value: (p: ChartPoint) => p.pct },
          ...input.compare.map((s) => ({ header: `${s} change %`, value: (p: ChartPoint) => p.compare[s] })),
        ]
      : []),
  ];
  const blob = new Blob([toCsv(columns, input.points)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = toCsvFileName([input.symbol, input.rangeLabel]);
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
