"use client";

import { formatSourceSuffix } from "@/components/kpi/source-badge";
import type { SymbolSummary } from "@/lib/events/api-market";

/** Picks the symbol to watch among the followed ones; replayed, paused or invalid ones say so. */
export function SymbolPicker({
  symbols,
  value,
  onChange,
}: {
  symbols: SymbolSummary[];
  value: string | null;
  onChange: (symbol: string) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="font-medium">Symbol</span>
      <select
        data-testid="symbol-picker"
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
      >
        {symbols.map((s) => (
          <option key={s.symbol} value={s.symbol} data-source={s.source}>
            {s.symbol}
            {formatSourceSuffix(s.source)}
            {s.status !== "active" ? ` (${s.status})` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
