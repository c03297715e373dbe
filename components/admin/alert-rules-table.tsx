"use client";

import { AdminButton } from "@/components/admin/admin-button";
import {
  ALERT_TYPE_LABELS,
  describeAlertCondition,
  describeAlertScope,
  describeCooldown,
} from "@/components/alerts/describe-alert-rule";
import { Time } from "@/components/ui/time";
import type { AdminAlertRule } from "@/lib/events/api-alerts";
import { formatCount } from "@/lib/kpi/format";
import { cn } from "@/lib/utils";
import { TableScroll } from "@/components/ui/table-scroll";

type Props = {
  rules: AdminAlertRule[];
  /** Rules with a request in flight (their buttons are disabled). */
  busy: ReadonlySet<number>;
  onEdit: (rule: AdminAlertRule) => void;
  onPause: (rule: AdminAlertRule) => void;
  onResume: (rule: AdminAlertRule) => void;
  onDelete: (rule: AdminAlertRule) => void;
};

/** The alert rules with their parameters in words, scope, cooldown, status and events fired. */
export function AlertRulesTable({ rules, busy, onEdit, onPause, onResume, onDelete }: Props) {
  if (rules.length === 0)
    return (
      <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="rules-empty">
        No alert rules yet: create one above.
      </p>
    );
  return (
    <TableScroll>
      <table className="w-full text-left text-sm" data-testid="rules-table">
        <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 pr-3">
              Rule
            </th>
            <th scope="col" className="py-2 pr-3">
              Condition
            </th>
            <th scope="col" className="py-2 pr-3">
              Applies to
            </th>
            <th scope="col" className="py-2 pr-3">
              Cooldown
            </th>
            <th scope="col" className="py-2 pr-3">
              Status
            </th>
            <th scope="col" className="py-2 pr-3 text-right">
              Events
            </th>
            <th scope="col" className="py-2 pr-3">
              Last fired
            </th>
            <th scope="col" className="py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rules.map((rule) => {
            const isBusy = busy.has(rule.id);
            const isPaused = rule.status === "paused";
            return (
              <tr key={rule.id} data-testid="rule-row" data-rule-id={rule.id} data-status={rule.status}>
                <td className="py-2 pr-3 align-top">
                  <div className="max-w-xs font-medium wrap-anywhere" data-testid="rule-name">
                    {rule.name}
                  </div>
                  <div className="text-xs text-slate-500 dark:text-slate-400">
                    #{rule.id} · {ALERT_TYPE_LABELS[rule.condition.type]} · v{rule.version}
                  </div>
                </td>
                <td className="py-2 pr-3 align-top" data-testid="rule-condition">
                  {describeAlertCondition(rule.condition)}
                </td>
                <td
                  className="py-2 pr-3 align-top"
                  title={rule.scope.kind === "symbols" ? rule.scope.symbols.join(", ") : undefined}
                >
                  {describeAlertScope(rule.scope)}
                </td>
                <td className="py-2 pr-3 align-top">{describeCooldown(rule.cooldownMinutes)}</td>
                <td className="py-2 pr-3 align-top">
                  <span
                    className={cn(
                      "rounded-full px-2 py-0.5 text-xs font-semibold",
                      isPaused
                        ? "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
                        : "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100",
                    )}
                    data-testid="rule-status"
                  >
                    {isPaused ? "paused" : "enabled"}
                  </span>
                </td>
                <td className="tabular py-2 pr-3 text-right align-top" data-testid="rule-events">
                  {formatCount(rule.eventCount)}
                  {rule.eventCount !== rule.activeEventCount && (
                    <div className="text-xs text-slate-500 dark:text-slate-400">
                      {formatCount(rule.eventCount - rule.activeEventCount)} retracted
                    </div>
                  )}
                </td>
                <td className="py-2 pr-3 align-top text-xs">
                  {rule.lastFiredAt === null ? (
                    <span className="text-slate-400">never</span>
                  ) : (
                    <Time ts={rule.lastFiredAt} withDate />
                  )}
                </td>
                <td className="py-2 align-top">
                  <div className="flex justify-end gap-1">
                    <AdminButton
                      size="sm"
                      disabled={isBusy}
                      onClick={() => onEdit(rule)}
                      data-testid="rule-edit"
                      aria-label={`Edit ${rule.name}`}
                    >
                      Edit
                    </AdminButton>
                    <AdminButton
                      size="sm"
                      disabled={isBusy}
                      onClick={() => (isPaused ? onResume(rule) : onPause(rule))}
                      data-testid={isPaused ? "rule-resume" : "rule-pause"}
                      aria-label={`${isPaused ? "Resume" : "Pause"} ${rule.name}`}
                    >
                      {isPaused ? "Resume" : "Pause"}
                    </AdminButton>
                    <AdminButton
                      size="sm"
                      variant="danger"
                      disabled={isBusy}
                      onClick={() => onDelete(rule)}
                      data-testid="rule-delete"
                      aria-label={`Delete ${rule.name}`}
                    >
                      Delete
                    </AdminButton>
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
