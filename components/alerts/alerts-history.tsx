"use client";

import { useMemo, useState } from "react";

import { isAlertAcknowledged, isAlertUnread } from "@/components/alerts/alert-acks";
import { loadAlertsPage } from "@/components/alerts/alerts-client";
import { ALERT_TYPE_LABELS } from "@/components/alerts/describe-alert-rule";
import { describeAlertValues } from "@/components/alerts/describe-alert";
import { mergeAlerts, type AlertFilter } from "@/components/alerts/merge-alerts";
import { useAlertAcks } from "@/components/alerts/use-alert-acks";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { useDebouncedValue } from "@/components/ui/use-debounced-value";
import type { AlertsPage, AlertView } from "@/lib/events/api-alerts";
import { normalizeSymbolInput, symbolSchema } from "@/lib/events/symbol";
import { cn } from "@/lib/utils";
import { TableScroll } from "@/components/ui/table-scroll";

export const ALERTS_HISTORY_LIMIT = 50;

const control =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100";
const button =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";

function AlertRow({ alert, isUnread, onAck }: { alert: AlertView; isUnread: boolean; onAck: () => void }) {
  const isRetracted = alert.retractedAt !== null;
  return (
    <tr
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-symbol={alert.symbol}
      data-rule-id={alert.ruleId}
      data-unread={isUnread}
      data-retracted={isRetracted}
      className={cn(isUnread && "bg-amber-50/70 dark:bg-amber-900/20")}
    >
      <td className="py-2 pr-3 align-top text-xs whitespace-nowrap">
        <Time ts={alert.barTs} withDate />
        <div className="text-slate-500 dark:text-slate-400">
          fired <Time ts={alert.firedAt} withSeconds />
        </div>
      </td>
      <td className="py-2 pr-3 align-top font-semibold">{alert.symbol}</td>
      <td className="py-2 pr-3 align-top">
        <div className={cn("max-w-xs wrap-anywhere", isRetracted && "line-through opacity-70")}>
          {alert.ruleName}
        </div>
        <div className="text-xs text-slate-500 dark:text-slate-400">{ALERT_TYPE_LABELS[alert.ruleType]}</div>
      </td>
      <td className={cn("py-2 pr-3 align-top text-xs", isRetracted && "line-through opacity-70")}>
        {describeAlertValues(alert.values)}
      </td>
      <td className="py-2 pr-3 align-top text-xs">
        {isRetracted ? (
          <span data-testid="alert-retracted" title={alert.retractReason ?? undefined}>
            <span className="rounded-full bg-slate-200 px-2 py-0.5 font-semibold text-slate-700 dark:bg-slate-700 dark:text-slate-200">
              retracted
            </span>{" "}
            {alert.retractReason}
          </span>
        ) : isUnread ? (
          <span className="rounded-full bg-amber-200 px-2 py-0.5 font-semibold text-amber-950 dark:bg-amber-800 dark:text-amber-50">
            new
          </span>
        ) : (
          <span className="text-slate-500 dark:text-slate-400">acknowledged</span>
        )}
      </td>
      <td className="py-2 text-right align-top">
        {isUnread && (
          <button
            type="button"
            className={button}
            onClick={onAck}
            data-testid="alert-ack"
            aria-label={`Acknowledge ${alert.symbol} ${alert.ruleName}`}
          >
            Acknowledge
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * The alert history: newest first, filtered by symbol and rule, live (alerts:changed), with this
 * browser's acknowledgements (components/alerts/alert-acks.ts) and retracted alerts shown as such.
 */
export function AlertsHistory({ initial }: { initial: AlertsPage }) {
  const [symbolText, setSymbolText] = useState("");
  const [ruleId, setRuleId] = useState<number | null>(null);
  const typed = normalizeSymbolInput(useDebouncedValue(symbolText, 300));
  const isSymbolValid = typed === "" || symbolSchema.safeParse(typed).success;
  const filter: AlertFilter = useMemo(
    () => ({ symbol: typed && isSymbolValid ? typed : null, ruleId }),
    [typed, isSymbolValid, ruleId],
  );
  const isUnfiltered = filter.symbol === null && filter.ruleId === null;
  const resource = useLiveResource<AlertsPage, "alerts:changed">({
    queryKey: ["alerts", "history", filter.symbol, filter.ruleId],
    initialData: isUnfiltered ? initial : undefined,
    load: (signal) =>
      loadAlertsPage({ limit: ALERTS_HISTORY_LIMIT, symbol: filter.symbol, ruleId: filter.ruleId }, signal),
    event: "alerts:changed",
    merge: (page, delta) => {
      const alerts = mergeAlerts(page.alerts, delta.alerts, filter, Number.MAX_SAFE_INTEGER);
      return alerts === page.alerts ? page : { ...page, alerts };
    },
    reloadOn: (_page, delta) => delta.isReloadNeeded,
  });
  const page = resource.data;
  const [older, setOlder] = useState<{ key: string; alerts: AlertView[]; nextBefore: number | null } | null>(
    null,
  );
  const filterKey = `${filter.symbol}|${filter.ruleId}`;
  const olderHere = older?.key === filterKey ? older : null;
  const alerts = useMemo(
    () => mergeAlerts(page?.alerts ?? [], olderHere?.alerts ?? [], filter, Number.MAX_SAFE_INTEGER),
    [page, olderHere, filter],
  );
  const nextBefore = olderHere ? olderHere.nextBefore : (page?.nextBefore ?? null);
  const rules = page?.rules ?? initial.rules;
  const { acks, acknowledge, acknowledgeAll } = useAlertAcks();
  const unread = alerts.filter((a) => isAlertUnread(acks, a)).length;

  const loadOlder = async () => {
    if (nextBefore === null) return;
    const next = await loadAlertsPage({
      limit: ALERTS_HISTORY_LIMIT,
      before: nextBefore,
      symbol: filter.symbol,
      ruleId: filter.ruleId,
    });
    setOlder({
      key: filterKey,
      alerts: [...(olderHere?.alerts ?? []), ...next.alerts],
      nextBefore: next.nextBefore,
    });
  };

  return (
    <Card
      title={`Alerts · ${unread} unread`}
      testId="alerts-history"
      actions={
        <button
          type="button"
          className={button}
          disabled={unread === 0}
          onClick={() => acknowledgeAll(alerts)}
          data-testid="alerts-ack-all"
        >
          Acknowledge all
        </button>
      }
    >
      <div className="mb-3 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="font-medium">Symbol</span>
          <input
            className={cn(control, "w-36 uppercase placeholder:normal-case")}
            value={symbolText}
            placeholder="All symbols"
            onChange={(e) => setSymbolText(e.target.value)}
            aria-invalid={!isSymbolValid}
            data-testid="alerts-filter-symbol"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">Rule</span>
          <select
            className={cn(control, "max-w-64")}
            value={ruleId ?? ""}
            onChange={(e) => setRuleId(e.target.value ? Number(e.target.value) : null)}
            data-testid="alerts-filter-rule"
          >
            <option value="">All rules</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
                {r.isRetired ? " (deleted)" : ""}
              </option>
            ))}
          </select>
        </label>
        {!isSymbolValid && (
          <span className="text-xs text-red-700 dark:text-red-300">Not a symbol: {typed}</span>
        )}
        {resource.error && (
          <span role="alert" className="text-xs text-red-700 dark:text-red-300">
            {resource.error.message}
          </span>
        )}
      </div>
      <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">
        Acknowledgements are kept in this browser only: each viewer acknowledges for themselves.
      </p>
      {alerts.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="alerts-empty">
          {resource.isLoading ? "Loading…" : "No alerts match."}
        </p>
      ) : (
        <TableScroll>
          <table className="w-full text-left text-sm" data-testid="alerts-table">
            <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  Bar
                </th>
                <th scope="col" className="py-2 pr-3">
                  Symbol
                </th>
                <th scope="col" className="py-2 pr-3">
                  Rule
                </th>
                <th scope="col" className="py-2 pr-3">
                  Values
                </th>
                <th scope="col" className="py-2 pr-3">
                  State
                </th>
                <th scope="col" className="py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {alerts.map((alert) => (
                <AlertRow
                  key={alert.id}
                  alert={alert}
                  isUnread={alert.retractedAt === null && !isAlertAcknowledged(acks, alert.id)}
                  onAck={() => acknowledge(alert.id)}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {nextBefore !== null && (
        <div className="mt-3 text-center">
          <button
            type="button"
            className={button}
            onClick={() => void loadOlder()}
            data-testid="alerts-load-older"
          >
            Load older alerts
          </button>
        </div>
      )}
    </Card>
  );
}
