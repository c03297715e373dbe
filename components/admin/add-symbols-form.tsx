"use client";

import { useState, type FormEvent } from "react";

import { AdminButton, inputClassName } from "@/components/admin/admin-button";
import type { PollIntervalBounds } from "@/lib/events/api-admin";
import type { AddSymbolsOutcome } from "@/lib/events/api-admin";
import { isPollingSource, SYMBOL_PATTERN, splitSymbolList, type SymbolSource } from "@/lib/events/symbol";

type Props = {
  /** The source new symbols get; the poll interval field shows only for a source that polls. */
  source: SymbolSource;
  bounds: PollIntervalBounds;
  /** Adds the symbols; resolves to the outcome, or throws an Error whose message is shown. */
  onAdd: (symbols: string, pollIntervalSeconds: number | undefined) => Promise<AddSymbolsOutcome>;
};

const SOURCE_HINT: Partial<Record<SymbolSource, string>> = {
  replay: "Checked against the recorded data (data/minute-bars).",
  yahoo: "Checked with a Yahoo Finance lookup.",
  synthetic: "Any valid ticker works with the synthetic source.",
};

function Outcome({ outcome }: { outcome: AddSymbolsOutcome }) {
  const lines: { tone: "ok" | "info" | "bad"; text: string }[] = [];
  if (outcome.added.length) lines.push({ tone: "ok", text: `Added ${outcome.added.join(", ")}.` });
  if (outcome.reactivated.length)
    lines.push({ tone: "ok", text: `Following again: ${outcome.reactivated.join(", ")}.` });
  for (const f of outcome.alreadyFollowed)
    lines.push({
      tone: "info",
      text: `${f.symbol} is already followed${f.status === "paused" ? " (paused)" : ""}.`,
    });
  for (const r of outcome.rejected) lines.push({ tone: "bad", text: r.reason });
  const tone = {
    ok: "text-emerald-700 dark:text-emerald-300",
    info: "text-slate-600 dark:text-slate-300",
    bad: "text-red-700 dark:text-red-300",
  };
  return (
    <ul className="mt-3 space-y-0.5 text-sm" data-testid="add-outcome" role="status">
      {lines.map((l) => (
        <li key={l.text} className={tone[l.tone]}>
          {l.text}
        </li>
      ))}
    </ul>
  );
}

export function AddSymbolsForm({ source, bounds, onAdd }: Props) {
  const [text, setText] = useState("");
  const [interval, setPollInterval] = useState("");
  const [outcome, setOutcome] = useState<AddSymbolsOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  // Instant feedback for typos; the server validates again and checks the source.
  const malformed = splitSymbolList(text).filter((s) => !SYMBOL_PATTERN.test(s));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const result = await onAdd(text, interval ? Number(interval) : undefined);
      setOutcome(result);
      if (result.added.length + result.reactivated.length > 0) setText("");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} data-testid="add-symbols-form" aria-busy={isBusy}>
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-64 flex-1 text-sm font-medium">
          Symbols
          <input
            value={text}
            // Not edited while a request runs: its outcome is about this text.
            disabled={isBusy}
            onChange={(e) => {
              setText(e.target.value);
              // The outcome and error were about the text before this edit.
              setOutcome(null);
              setError(null);
            }}
            placeholder={
              source === "replay" ? "a recorded symbol, e.g. NVDA" : "e.g. NVDA, META or BRK-B ^GSPC"
            }
            aria-describedby="add-symbols-hint"
            data-testid="add-symbols-input"
            className={`${inputClassName} mt-1 block w-full font-mono uppercase placeholder:font-sans placeholder:normal-case`}
          />
        </label>
        {isPollingSource(source) && (
          <label className="w-40 text-sm font-medium">
            Poll every (s)
            <input
              type="number"
              min={bounds.min}
              max={bounds.max}
              step={1}
              value={interval}
              onChange={(e) => setPollInterval(e.target.value)}
              placeholder="default 60"
              data-testid="add-symbols-interval"
              className={`${inputClassName} mt-1 block w-full`}
            />
          </label>
        )}
        <AdminButton
          type="submit"
          variant="primary"
          disabled={isBusy || text.trim() === "" || malformed.length > 0}
          data-testid="add-symbols-submit"
        >
          {isBusy ? "Checking…" : "Add"}
        </AdminButton>
      </div>
      <p id="add-symbols-hint" className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        Separate several with commas or spaces. {SOURCE_HINT[source] ?? ""}
      </p>
      {malformed.length > 0 && (
        <p className="mt-2 text-sm text-red-700 dark:text-red-300" data-testid="add-symbols-malformed">
          Not a ticker: {malformed.slice(0, 5).join(", ")}. Use letters, digits and . - = (optionally a
          leading ^).
        </p>
      )}
      {error && (
        <p
          role="alert"
          className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-900/30 dark:text-red-100"
          data-testid="add-symbols-error"
        >
          {error}
        </p>
      )}
      {outcome && <Outcome outcome={outcome} />}
    </form>
  );
}
