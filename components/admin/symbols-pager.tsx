"use client";

import { AdminButton, inputClassName } from "@/components/admin/admin-button";
import { SYMBOL_QUERY_MAX_LENGTH } from "@/lib/events/symbol-page";
import { formatCount } from "@/lib/kpi/format";

type Props = {
  text: string;
  onTextChange: (text: string) => void;
  /** Index of the first row shown among the matches (0-based), rows shown, and all matches. */
  offset: number;
  shown: number;
  total: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  isBusy: boolean;
};

/** The symbol table's search box and its page navigation, with where the page is among the matches. */
export function SymbolsPager(props: Props) {
  const { offset, shown, total } = props;
  const range =
    shown === 0
      ? `No symbol matches${props.text.trim() ? ` “${props.text.trim()}”` : ""}`
      : `${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${formatCount(total)}`;
  return (
    <div className="mb-3 flex flex-wrap items-center gap-3">
      <input
        type="search"
        aria-label="Search symbols by symbol or name"
        placeholder="Search symbol or name"
        maxLength={SYMBOL_QUERY_MAX_LENGTH}
        value={props.text}
        onChange={(e) => props.onTextChange(e.target.value)}
        data-testid="symbols-search"
        className={`${inputClassName} w-64`}
      />
      <span
        className="text-sm text-slate-600 tabular-nums dark:text-slate-300"
        data-testid="symbols-range"
        data-total={total}
        role="status"
        aria-busy={props.isBusy}
      >
        {range}
      </span>
      <div className="ml-auto flex gap-1.5">
        <AdminButton
          size="sm"
          disabled={!props.hasPrevious}
          onClick={props.onPrevious}
          data-testid="symbols-previous"
        >
          ← Previous
        </AdminButton>
        <AdminButton size="sm" disabled={!props.hasNext} onClick={props.onNext} data-testid="symbols-next">
          Next →
        </AdminButton>
      </div>
    </div>
  );
}
