import { Card } from "@/components/ui/card";
import type { SymbolFreshnessState } from "@/lib/events/ops-snapshot";
import { cn } from "@/lib/utils";

import { OpsTime } from "./ops-time";

function formatAge(ms: number | null): string {
  if (ms === null) return "no bar";
  if (ms < 0) return "ahead of the clock";
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : s < 7_200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3_600)} h`;
}

/** Active symbols, stalest first: how old the newest stored bar is against what its source allows. */
export function FreshnessCard({
  freshness,
  now,
}: {
  freshness: readonly SymbolFreshnessState[];
  now: number;
}) {
  return (
    <Card title="Freshness per symbol (stalest first)" testId="ops-freshness">
      {freshness.length === 0 ? (
        <p className="text-sm text-slate-500">No active symbol.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Symbol</th>
              <th className="py-1 font-medium">Source · market</th>
              <th className="py-1 font-medium">Newest bar</th>
              <th className="py-1 text-right font-medium">Age / allowed</th>
            </tr>
          </thead>
          <tbody>
            {freshness.map((s) => (
              <tr
                key={s.symbol}
                className="border-t border-slate-100 dark:border-slate-800"
                data-testid={`ops-freshness-${s.symbol}`}
                data-stale={s.isStale}
              >
                <td className="py-1.5 font-semibold">{s.symbol}</td>
                <td className="py-1.5 text-xs text-slate-600 dark:text-slate-300">
                  {s.source} · {s.isMarketOpen ? "open" : (s.marketState ?? "closed")}
                </td>
                <td className="py-1.5 text-xs">
                  <OpsTime ts={s.newestBarTs} withDate />
                </td>
                <td
                  className={cn(
                    "tabular py-1.5 text-right",
                    s.isStale ? "font-semibold text-down" : "text-slate-700 dark:text-slate-200",
                  )}
                >
                  {formatAge(s.ageMs)}
                  <span className="text-xs text-slate-500"> / {formatAge(s.expectedMs)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-2 text-xs text-slate-500">
        As of <OpsTime ts={now} />. Replayed and synthetic symbols trade around the clock; Yahoo symbols only
        count while their market is open.
      </p>
    </Card>
  );
}
