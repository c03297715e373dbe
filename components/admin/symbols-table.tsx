"use client";

import { AdminButton } from "@/components/admin/admin-button";
import type { PollIntervalBounds } from "@/lib/events/api-admin";
import type { AdminSymbol } from "@/lib/events/api-admin";
import { PollIntervalEditor } from "@/components/admin/poll-interval-editor";
import { SymbolStatusBadge } from "@/components/admin/symbol-status-badge";
import { SourceBadge } from "@/components/kpi/source-badge";
import { Time } from "@/components/ui/time";
import { isPollingSource } from "@/lib/events/symbol";
import { formatAgo, formatCount } from "@/lib/kpi/format";
import { cn } from "@/lib/utils";
import { TableScroll } from "@/components/ui/table-scroll";

export type SymbolActions = {
  onPause: (symbol: string) => void;
  onResume: (symbol: string) => void;
  onRemove: (symbol: string) => void;
  onAddAgain: (symbol: string) => void;
  onPurge: (symbol: string) => void;
  onSetInterval: (symbol: string, seconds: number) => Promise<boolean>;
};

type Props = SymbolActions & {
  /** One page of symbols, in the API's order. */
  symbols: AdminSymbol[];
  /** What an empty table says (no symbols at all, or none matching a search). */
  emptyMessage: string;
  now: number;
  bounds: PollIntervalBounds;
  /** Symbols with a request in flight (their buttons are disabled). */
  busy: ReadonlySet<string>;
};

function LastTick({ row, now }: { row: AdminSymbol; now: number }) {
  if (row.lastTickAt === null) return <span className="text-slate-400">never</span>;
  return (
    <span data-testid="symbol-last-tick" data-ts={row.lastTickAt}>
      <span className="tabular">
        <Time ts={row.lastTickAt} exchangeTimeZone={row.exchangeTimezone} withDate />
      </span>
      <span className="block text-xs text-slate-500 dark:text-slate-400">
        {formatAgo(now - row.lastTickAt)}
      </span>
    </span>
  );
}

/** The managed symbols with their state and the actions an admin can take on each. */
export function SymbolsTable({ symbols, emptyMessage, now, bounds, busy, ...actions }: Props) {
  if (symbols.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-slate-500" data-testid="symbols-empty">
        {emptyMessage}
      </p>
    );
  }
  return (
    <TableScroll className="-mx-4 px-4">
      <table className="w-full min-w-[56rem] text-sm" data-testid="symbols-table">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
            <th scope="col" className="py-2 pr-3">
              Symbol
            </th>
            <th scope="col" className="py-2 pr-3">
              Status
            </th>
            <th scope="col" className="py-2 pr-3">
              Source
            </th>
            <th scope="col" className="py-2 pr-3">
              Poll
            </th>
            <th
              scope="col"
              className="py-2 pr-3"
              title="The start of the symbol's newest 1-minute bar, published to Kafka or stored"
            >
              Last bar
            </th>
            <th
              scope="col"
              className="py-2 pr-6 text-right"
              title="1-minute bars stored (fact_prices rows) on the symbol's latest trading day"
            >
              Bars today
            </th>
            <th scope="col" className="py-2 pr-3">
              Last error
            </th>
            <th scope="col" className="py-2 text-right">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {symbols.map((row) => {
            const isBusy = busy.has(row.symbol);
            const isRemoved = row.status === "removed";
            return (
              <tr
                key={row.symbol}
                data-testid="symbol-row"
                data-symbol={row.symbol}
                data-status={row.status}
                className={cn(
                  "border-b border-slate-100 align-top last:border-0 dark:border-slate-800",
                  isRemoved && "text-slate-500 dark:text-slate-500",
                )}
              >
                <td className="py-2.5 pr-3">
                  <span className="font-mono font-semibold">{row.symbol}</span>
                  <SourceBadge source={row.source} size="sm" className="ml-1.5 align-middle" />
                  {row.displayName && (
                    <span className="block max-w-48 truncate text-xs text-slate-500 dark:text-slate-400">
                      {row.displayName}
                    </span>
                  )}
                </td>
                <td className="py-2.5 pr-3">
                  <SymbolStatusBadge status={row.status} />
                  {row.statusReason && (
                    <span
                      className="mt-1 line-clamp-2 max-w-52 text-xs text-slate-500 dark:text-slate-400"
                      title={row.statusReason}
                      data-testid="symbol-status-reason"
                    >
                      {row.statusReason}
                    </span>
                  )}
                </td>
                <td className="py-2.5 pr-3" data-testid="symbol-source" data-source={row.source}>
                  {row.source}
                </td>
                <td className="py-2.5 pr-3">
                  {isPollingSource(row.source) ? (
                    <PollIntervalEditor
                      row={row}
                      bounds={bounds}
                      isBusy={isBusy}
                      onSave={(s) => actions.onSetInterval(row.symbol, s)}
                    />
                  ) : (
                    <span
                      className="text-slate-400"
                      data-testid="symbol-not-polled"
                      title={`${row.source} bars are not polled: a poll interval has no effect on them`}
                    >
                      not polled
                    </span>
                  )}
                </td>
                <td className="py-2.5 pr-3">
                  <LastTick row={row} now={now} />
                </td>
                <td className="py-2.5 pr-6 text-right">
                  <span data-testid="symbol-ticks-today" data-count={row.ticksToday} className="tabular">
                    {formatCount(row.ticksToday)}
                  </span>
                  {row.latestTradeDate && (
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      {row.latestTradeDate}
                    </span>
                  )}
                </td>
                <td className="py-2.5 pr-3">
                  {row.lastError ? (
                    <span className="block max-w-60 text-xs" title={row.lastError}>
                      <span
                        className="line-clamp-2 text-red-700 dark:text-red-300"
                        data-testid="symbol-last-error"
                      >
                        {row.lastError}
                      </span>
                      {row.lastErrorAt !== null && (
                        <span className="text-slate-500 dark:text-slate-400">
                          {formatAgo(now - row.lastErrorAt)}
                        </span>
                      )}
                    </span>
                  ) : (
                    <span className="text-slate-400">–</span>
                  )}
                </td>
                <td className="py-2 text-right">
                  <div className="flex justify-end gap-1.5">
                    {row.status === "active" && (
                      <AdminButton
                        size="sm"
                        disabled={isBusy}
                        onClick={() => actions.onPause(row.symbol)}
                        data-testid="symbol-pause"
                      >
                        Pause
                      </AdminButton>
                    )}
                    {(row.status === "paused" || row.status === "invalid") && (
                      <AdminButton
                        size="sm"
                        disabled={isBusy}
                        onClick={() => actions.onResume(row.symbol)}
                        data-testid="symbol-resume"
                        title={
                          row.status === "invalid"
                            ? `Check ${row.symbol} at the source again and follow it if it is found`
                            : undefined
                        }
                      >
                        {row.status === "invalid" ? "Retry" : "Resume"}
                      </AdminButton>
                    )}
                    {!isRemoved && (
                      <AdminButton
                        size="sm"
                        variant="danger"
                        disabled={isBusy}
                        onClick={() => actions.onRemove(row.symbol)}
                        data-testid="symbol-remove"
                      >
                        Remove
                      </AdminButton>
                    )}
                    {isRemoved && (
                      <>
                        <AdminButton
                          size="sm"
                          disabled={isBusy}
                          onClick={() => actions.onAddAgain(row.symbol)}
                          data-testid="symbol-add-again"
                        >
                          Add again
                        </AdminButton>
                        <AdminButton
                          size="sm"
                          variant="danger"
                          disabled={isBusy}
                          onClick={() => actions.onPurge(row.symbol)}
                          data-testid="symbol-purge"
                        >
                          Purge history…
                        </AdminButton>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
