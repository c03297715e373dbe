"use client";

import { memo } from "react";

import { ChangeText } from "@/components/kpi/change-text";
import { Time } from "@/components/ui/time";
import { useNow } from "@/components/ui/use-now";
import { formatAgo, formatPrice, formatVolume } from "@/lib/kpi/format";
import type { DailyStat, FactBar } from "@/lib/kpi/types";

type Props = {
  latestBar: FactBar | null;
  day: DailyStat | null;
  /** The symbol's exchange zone (the bar time is shown in the viewer's chosen zone, named). */
  exchangeTimeZone: string;
  lastUpdateAt: number | null;
};

/** "updated 3 s ago", ticking on its own so that the rest of the page does not re-render every second. */
function UpdatedAgo({ at }: { at: number | null }) {
  const now = useNow(1_000);
  return <>{at ? `updated ${formatAgo(now - at)}` : "from history"}</>;
}

function Tile({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <div
      className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      data-testid={testId}
    >
      <div className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {label}
      </div>
      <div className="tabular mt-1 text-xl font-semibold">{children}</div>
    </div>
  );
}

/** Last price, change on the day, volume, day high/low and time of the last update. */
export const KpiCards = memo(function KpiCards({ latestBar, day, exchangeTimeZone, lastUpdateAt }: Props) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="kpi-cards">
      <Tile label="Last price" testId="kpi-last-price">
        <span data-testid="kpi-last-price-value">{formatPrice(latestBar?.close)}</span>
      </Tile>
      <Tile label="Change (day)" testId="kpi-change">
        <ChangeText value={day?.changePct} testId="kpi-change-value" />
      </Tile>
      <Tile label="Volume (day)" testId="kpi-volume">
        <span title={formatVolume(day?.volume)}>{formatVolume(day?.volume, true)}</span>
      </Tile>
      <Tile label="Day high" testId="kpi-day-high">
        {formatPrice(day?.high)}
      </Tile>
      <Tile label="Day low" testId="kpi-day-low">
        {formatPrice(day?.low)}
      </Tile>
      <Tile label="Last bar" testId="kpi-last-update">
        {/* Smaller than the figures: a date, time and zone must fit a sixth of the page. */}
        <span className="text-base">
          <Time ts={latestBar?.ts} exchangeTimeZone={exchangeTimeZone} withDate testId="kpi-last-bar-time" />
        </span>
        <div className="text-xs font-normal text-slate-500 dark:text-slate-400">
          <UpdatedAgo at={lastUpdateAt} />
        </div>
      </Tile>
    </div>
  );
});
