"use client";

import { memo, useId, useState, type KeyboardEvent } from "react";

import { formatSourceSuffix } from "@/components/kpi/source-badge";
import { fetchJson } from "@/components/realtime/fetch-json";
import type { SymbolPageScope } from "@/components/realtime/symbol-page-changes";
import { useLiveSymbolPage } from "@/components/realtime/use-live-symbol-page";
import { useDebouncedValue } from "@/components/ui/use-debounced-value";
import { symbolsResponseSchema, type SymbolSummary, type SymbolsResponse } from "@/lib/events/api-market";
import {
  normalizeSymbolQuery,
  SYMBOL_PICKER_LIMIT,
  SYMBOL_QUERY_MAX_LENGTH,
  toSymbolsSearch,
} from "@/lib/events/symbol-page";
import { formatCount } from "@/lib/kpi/format";
import { cn } from "@/lib/utils";

/** Keystrokes closer together than this make one search request. */
const SEARCH_DELAY_MS = 200;

const isListed = (s: SymbolSummary) => s.status !== "removed";

function OptionLabel({ summary }: { summary: SymbolSummary }) {
  return (
    <span data-testid="symbol-option-label">
      {summary.symbol}
      {formatSourceSuffix(summary.source)}
      {summary.status !== "active" ? ` (${summary.status})` : ""}
    </span>
  );
}

/**
 * Picks the symbol to watch among the followed ones: a combobox (WAI-ARIA 1.2 pattern) that searches
 * GET /api/symbols as the analyst types and lists one page of matches, kept live by symbols:changed.
 * Arrow keys move through the options, Enter picks, Escape closes; replayed, paused or invalid symbols
 * say so.
 */
// Memoized: the dashboard re-renders on every live bar, and nothing of the picker depends on bars.
export const SymbolPicker = memo(function SymbolPicker({
  initialPage,
  value,
  onChange,
}: {
  /** The first page without a search, rendered by the server. */
  initialPage: SymbolsResponse;
  value: string | null;
  onChange: (symbol: string) => void;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [isOpen, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [activeIndex, setActiveIndex] = useState(0);
  const q = normalizeSymbolQuery(useDebouncedValue(text, SEARCH_DELAY_MS));
  const scope: SymbolPageScope<SymbolSummary> = { q, isListed, toRow: (summary) => summary };
  const results = useLiveSymbolPage({
    queryKey: ["symbols", q],
    initialData: q === null ? initialPage : undefined,
    isEnabled: q === null || isOpen,
    scope,
    load: (signal) =>
      fetchJson(`/api/symbols${toSymbolsSearch({ q, limit: SYMBOL_PICKER_LIMIT })}`, symbolsResponseSchema, {
        signal,
      }),
  });
  const page = results.data;
  const options = page?.symbols ?? [];
  const isSearching = normalizeSymbolQuery(text) !== q || results.isLoading;
  const active = isOpen ? options[Math.min(activeIndex, options.length - 1)] : undefined;

  const open = () => {
    setOpen(true);
    setActiveIndex(
      Math.max(
        0,
        options.findIndex((o) => o.symbol === value),
      ),
    );
  };
  const close = () => {
    setOpen(false);
    setText("");
  };
  const pick = (symbol: string) => {
    close();
    if (symbol !== value) onChange(symbol);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp": {
        event.preventDefault();
        if (!isOpen) return open();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActiveIndex((i) => Math.min(Math.max(i + step, 0), Math.max(options.length - 1, 0)));
        return;
      }
      case "Enter":
        if (isOpen && active) {
          event.preventDefault();
          pick(active.symbol);
        }
        return;
      case "Escape":
        if (isOpen) {
          event.preventDefault();
          close();
        }
        return;
    }
  };

  return (
    <div className="relative flex items-center gap-2 text-sm">
      <label htmlFor={`${id}-input`} className="font-medium">
        Symbol
      </label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-expanded={isOpen}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active ? `${id}-option-${active.symbol}` : undefined}
        autoComplete="off"
        spellCheck={false}
        maxLength={SYMBOL_QUERY_MAX_LENGTH}
        data-testid="symbol-picker"
        data-value={value ?? ""}
        placeholder={value ?? "Search symbols"}
        value={isOpen ? text : (value ?? "")}
        onFocus={open}
        onClick={() => !isOpen && open()}
        onBlur={close}
        onChange={(e) => {
          setText(e.target.value);
          setActiveIndex(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        className="w-44 rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono dark:border-slate-700 dark:bg-slate-900"
      />
      {isOpen && (
        <div className="absolute top-full left-0 z-20 mt-1 w-80 rounded-md border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900">
          <ul
            id={listId}
            role="listbox"
            aria-label="Symbols"
            data-testid="symbol-picker-list"
            className="max-h-80 overflow-y-auto py-1"
          >
            {options.map((s) => (
              <li
                key={s.symbol}
                id={`${id}-option-${s.symbol}`}
                role="option"
                aria-selected={s.symbol === active?.symbol}
                data-testid="symbol-option"
                data-symbol={s.symbol}
                data-source={s.source}
                // Keeps the focus in the input, so the blur does not close the list before the click.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(s.symbol)}
                className={cn(
                  "flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5",
                  s.symbol === active?.symbol && "bg-slate-100 dark:bg-slate-800",
                  s.symbol === value && "font-semibold",
                )}
              >
                <span className="font-mono whitespace-nowrap">
                  <OptionLabel summary={s} />
                </span>
                {s.displayName && (
                  <span className="min-w-0 truncate text-xs text-slate-500 dark:text-slate-400">
                    {s.displayName}
                  </span>
                )}
              </li>
            ))}
          </ul>
          <p
            className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-500 dark:border-slate-700 dark:text-slate-400"
            data-testid="symbol-picker-count"
            role="status"
          >
            {results.error
              ? `Search failed: ${results.error.message}`
              : isSearching && options.length === 0
                ? "Searching…"
                : options.length === 0
                  ? `No symbol matches “${text.trim()}”.`
                  : page && page.total > options.length
                    ? `${formatCount(options.length)} of ${formatCount(page.total)}: type to narrow`
                    : `${formatCount(options.length)} ${options.length === 1 ? "symbol" : "symbols"}`}
          </p>
        </div>
      )}
    </div>
  );
});
