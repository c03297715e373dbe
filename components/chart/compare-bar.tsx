"use client";

import { useId, useState } from "react";

import { fetchJson } from "@/components/realtime/fetch-json";
import { COMPARE_COLORS } from "@/components/kpi/price-chart";
import { useDebouncedValue } from "@/components/ui/use-debounced-value";
import { symbolsResponseSchema } from "@/lib/events/api-market";
import { normalizeSymbolQuery, toSymbolsSearch } from "@/lib/events/symbol-page";
import { MAX_COMPARE } from "@/lib/kpi/chart-view";
import { useQuery } from "@tanstack/react-query";

/**
 * Symbols compared with the chart's own: removable chips, and a search field that suggests followed
 * symbols as one types (a native datalist: arrows and Enter work as in any input).
 */
export default function CompareBar({
  symbol,
  compare,
  onChange,
}: {
  symbol: string;
  compare: readonly string[];
  onChange: (compare: string[]) => void;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const q = normalizeSymbolQuery(useDebouncedValue(text, 200));
  const results = useQuery({
    queryKey: ["compare-search", q],
    enabled: q !== null,
    queryFn: ({ signal }) =>
      fetchJson(`/api/symbols${toSymbolsSearch({ q, limit: 8 })}`, symbolsResponseSchema, { signal }),
  });
  const options = (results.data?.symbols ?? []).filter(
    (s) => s.symbol !== symbol && !compare.includes(s.symbol),
  );
  const isFull = compare.length >= MAX_COMPARE;
  // Said rather than only greying out Add: the search answered and nothing can be compared.
  const hasNoMatch = q !== null && results.isSuccess && options.length === 0 && !isFull;
  const add = () => {
    const wanted = text.trim().toUpperCase();
    const match = options.find((o) => o.symbol === wanted) ?? (options.length === 1 ? options[0] : undefined);
    if (!match || isFull) return;
    onChange([...compare, match.symbol]);
    setText("");
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="compare-bar">
      <label htmlFor={`${id}-input`} className="font-medium">
        Compare
      </label>
      {compare.map((s, k) => (
        <span
          key={s}
          data-testid="compare-chip"
          data-symbol={s}
          className="flex items-center gap-1 rounded-full border border-slate-300 py-0.5 pr-1 pl-2 dark:border-slate-700"
        >
          <span
            aria-hidden
            className="inline-block h-2 w-2 rounded-full"
            style={{ background: COMPARE_COLORS[k] }}
          />
          <span className="font-mono">{s}</span>
          <button
            type="button"
            aria-label={`Remove ${s} from the comparison`}
            data-testid={`compare-remove-${s}`}
            onClick={() => onChange(compare.filter((c) => c !== s))}
            className="rounded-full px-1 hover:bg-slate-200 dark:hover:bg-slate-700"
          >
            ×
          </button>
        </span>
      ))}
      <input
        id={`${id}-input`}
        list={`${id}-list`}
        type="text"
        autoComplete="off"
        spellCheck={false}
        disabled={isFull}
        placeholder={isFull ? `${MAX_COMPARE} symbols at most` : "Add a symbol"}
        data-testid="compare-input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add();
          }
        }}
        className="w-36 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-700 dark:bg-slate-900"
      />
      <datalist id={`${id}-list`}>
        {options.map((o) => (
          <option key={o.symbol} value={o.symbol}>
            {o.displayName ?? o.symbol}
          </option>
        ))}
      </datalist>
      <button
        type="button"
        onClick={add}
        disabled={isFull || options.length === 0}
        data-testid="compare-add"
        className="rounded-md bg-slate-100 px-2 py-1 hover:bg-slate-200 disabled:opacity-40 dark:bg-slate-800 dark:hover:bg-slate-700"
      >
        Add
      </button>
      {hasNoMatch && (
        <span role="status" data-testid="compare-none" className="text-xs text-slate-500 dark:text-slate-400">
          No other followed symbol matches {q}
        </span>
      )}
    </div>
  );
}
