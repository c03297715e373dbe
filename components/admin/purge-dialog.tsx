"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";

import { AdminButton, inputClassName } from "@/components/admin/admin-button";

type Props = {
  /** The symbol to purge; null closes the dialog. */
  symbol: string | null;
  onConfirm: (symbol: string, confirm: string) => Promise<void>;
  onClose: () => void;
};

/** Asks the admin to type the symbol before its history is deleted for good. */
export function PurgeDialog({ symbol, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [isBusy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (symbol && !dialog.open) {
      setTyped("");
      dialog.showModal();
    } else if (!symbol && dialog.open) dialog.close();
  }, [symbol]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!symbol) return;
    setBusy(true);
    try {
      await onConfirm(symbol, typed);
    } finally {
      setBusy(false);
    }
  };
  const isMatch = symbol !== null && typed.trim().toUpperCase() === symbol;

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      data-testid="purge-dialog"
      aria-labelledby="purge-title"
      className="m-auto w-full max-w-md rounded-xl border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {symbol && (
        <form onSubmit={(e) => void submit(e)} className="space-y-3">
          <h2 id="purge-title" className="text-lg font-bold">
            Delete {symbol}&apos;s history?
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            This deletes every stored bar, daily statistic, window KPI, raw tick and the ingest cursor of{" "}
            <span className="font-mono font-semibold">{symbol}</span>. It cannot be undone; the audit log
            keeps a record.
          </p>
          <label className="block text-sm font-medium">
            Type <span className="font-mono">{symbol}</span> to confirm
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              autoFocus
              data-testid="purge-confirm-input"
              className={`${inputClassName} mt-1 block w-full font-mono uppercase`}
            />
          </label>
          <div className="flex justify-end gap-2 pt-1">
            <AdminButton onClick={onClose} data-testid="purge-cancel">
              Cancel
            </AdminButton>
            <AdminButton
              type="submit"
              variant="dangerSolid"
              disabled={!isMatch || isBusy}
              data-testid="purge-confirm"
            >
              {isBusy ? "Deleting…" : "Delete history"}
            </AdminButton>
          </div>
        </form>
      )}
    </dialog>
  );
}
