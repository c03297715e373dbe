"use client";

import { useDisplayZone } from "@/components/ui/display-zone-provider";
import { DISPLAY_ZONES, type DisplayZone } from "@/lib/kpi/format";

const LABELS: Record<DisplayZone, string> = { exchange: "Exchange", local: "Local", utc: "UTC" };

function describe(zone: DisplayZone, localTimeZone: string): string {
  if (zone === "exchange")
    return "Show times in each symbol's exchange time zone (e.g. New York for US stocks)";
  if (zone === "local") return `Show times in this browser's time zone (${localTimeZone})`;
  return "Show times in Coordinated Universal Time";
}

/** The header's choice of the zone every time is shown in; remembered in this browser. */
export function DisplayZoneSwitch() {
  const { zone, localTimeZone, setZone } = useDisplayZone();
  return (
    <div
      role="radiogroup"
      aria-label="Time zone"
      className="flex rounded-md border border-slate-300 text-xs dark:border-slate-700"
      data-testid="display-zone-switch"
      data-zone={zone}
    >
      {DISPLAY_ZONES.map((z) => (
        <button
          key={z}
          type="button"
          role="radio"
          aria-checked={zone === z}
          title={describe(z, localTimeZone)}
          data-testid={`zone-${z}`}
          onClick={() => setZone(z)}
          className={`px-2 py-1 first:rounded-l-md last:rounded-r-md ${zone === z ? "bg-slate-200 font-semibold dark:bg-slate-700" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
        >
          {LABELS[z]}
        </button>
      ))}
    </div>
  );
}
