"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";

import { AdminButton, inputClassName } from "@/components/admin/admin-button";
import {
  ALERT_RULE_FIELDS,
  validateAlertRuleForm,
  type AlertRuleFormErrors,
  type AlertRuleFormState,
} from "@/components/admin/alert-rule-form-state";
import { ALERT_TYPE_LABELS, describeAlertCondition } from "@/components/alerts/describe-alert-rule";
import { alertConditionTypeSchema, type AlertRuleInput } from "@/lib/events/alert-rule";

type Props = {
  initial: AlertRuleFormState;
  submitLabel: string;
  /** Sends the validated rule; throws an Error whose message is shown (the server's, naming the field). */
  onSubmit: (input: AlertRuleInput) => Promise<void>;
  onCancel?: () => void;
  testId?: string;
};

/** The error of a field path and of anything below it ("scope.symbols" shows "scope.symbols.2: …"). */
function errorOf(errors: AlertRuleFormErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return nested ? `${nested.slice(path.length + 1)}: ${errors[nested]}` : undefined;
}

function Field({
  label,
  error,
  children,
  hint,
  name,
}: {
  label: string;
  error?: string;
  hint?: string;
  name: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="flex flex-col gap-1 text-sm" data-field={name}>
      <label htmlFor={id} className="font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": error ? errorId : undefined })}
      {hint && !error && <span className="text-xs text-slate-500 dark:text-slate-400">{hint}</span>}
      {error && (
        <span
          id={errorId}
          className="text-xs text-red-700 dark:text-red-300"
          data-testid={`rule-error-${name}`}
        >
          {error}
        </span>
      )}
    </div>
  );
}

const DIRECTION_WORDS: Record<string, [string, string]> = {
  price_cross: ["crosses above", "crosses below"],
  indicator_cross: ["crosses above", "crosses below"],
  window_gain: ["above", "below"],
  day_change: ["above", "below"],
  opening_gap: ["gap up", "gap down"],
};

/**
 * Creates or edits an alert rule: the parameter fields follow the chosen type; the rule is checked in
 * the browser with the API's schema before it is sent, and the server's refusal is shown the same way.
 */
export function AlertRuleForm({ initial, submitLabel, onSubmit, onCancel, testId }: Props) {
  const [state, setState] = useState(initial);
  const [errors, setErrors] = useState<AlertRuleFormErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);
  const set = <K extends keyof AlertRuleFormState>(key: K, value: AlertRuleFormState[K]) =>
    setState((s) => ({ ...s, [key]: value }));
  const shown = new Set(ALERT_RULE_FIELDS[state.type]);
  const checked = validateAlertRuleForm(state);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSending(true);
    try {
      await onSubmit(checked.input);
    } catch (error) {
      setServerError(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(false);
    }
  };

  const select = "w-full " + inputClassName;
  const text = "w-full " + inputClassName;
  const words = DIRECTION_WORDS[state.type] ?? ["up", "down"];

  return (
    <form
      onSubmit={(e) => void submit(e)}
      noValidate
      className="space-y-3"
      data-testid={testId ?? "rule-form"}
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Name" name="name" error={errorOf(errors, "name")}>
          {(p) => (
            <input
              {...p}
              className={text}
              value={state.name}
              maxLength={120}
              onChange={(e) => set("name", e.target.value)}
            />
          )}
        </Field>
        <Field label="Rule type" name="type" error={errorOf(errors, "condition.type")}>
          {(p) => (
            <select
              {...p}
              className={select}
              value={state.type}
              onChange={(e) => set("type", alertConditionTypeSchema.parse(e.target.value))}
            >
              {alertConditionTypeSchema.options.map((t) => (
                <option key={t} value={t}>
                  {ALERT_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {shown.has("indicator") && (
          <Field label="Indicator" name="indicator" error={errorOf(errors, "condition.indicator")}>
            {(p) => (
              <select
                {...p}
                className={select}
                value={state.indicator}
                onChange={(e) => set("indicator", e.target.value as "ma20" | "ema20")}
              >
                <option value="ma20">MA 20</option>
                <option value="ema20">EMA 20</option>
              </select>
            )}
          </Field>
        )}
        {shown.has("windowMinutes") && (
          <Field label="Window" name="windowMinutes" error={errorOf(errors, "condition.windowMinutes")}>
            {(p) => (
              <select
                {...p}
                className={select}
                value={state.windowMinutes}
                onChange={(e) => set("windowMinutes", e.target.value as AlertRuleFormState["windowMinutes"])}
              >
                <option value="5">5 minutes</option>
                <option value="15">15 minutes</option>
                <option value="60">60 minutes</option>
              </select>
            )}
          </Field>
        )}
        {shown.has("direction") && (
          <Field label="Direction" name="direction" error={errorOf(errors, "condition.direction")}>
            {(p) => (
              <select
                {...p}
                className={select}
                value={state.direction}
                onChange={(e) => set("direction", e.target.value as "up" | "down")}
              >
                <option value="up">{words[0]}</option>
                <option value="down">{words[1]}</option>
              </select>
            )}
          </Field>
        )}
        {shown.has("kind") && (
          <Field label="Cross" name="kind" error={errorOf(errors, "condition.kind")}>
            {(p) => (
              <select
                {...p}
                className={select}
                value={state.kind}
                onChange={(e) => set("kind", e.target.value as "golden" | "death")}
              >
                <option value="golden">Golden cross (MA 5 above MA 20)</option>
                <option value="death">Death cross (MA 5 below MA 20)</option>
              </select>
            )}
          </Field>
        )}
        {(
          [
            ["level", "Price level", "The close must cross it; equal is not beyond.", "any"],
            ["thresholdPct", "Threshold %", "e.g. 2 or −1.5", "any"],
            ["factor", "Factor k", "Volume above k × the mean of the previous bars", "any"],
            ["lookbackBars", "Previous bars N", "1 to 240", "1"],
            ["minGapPct", "Minimum gap %", "Against the previous day's close", "any"],
            ["minutes", "Minutes without a bar", "While the symbol's market is open", "1"],
          ] as const
        )
          .filter(([key]) => shown.has(key))
          .map(([key, label, hint, step]) => (
            <Field key={key} label={label} name={key} hint={hint} error={errorOf(errors, `condition.${key}`)}>
              {(p) => (
                <input
                  {...p}
                  className={text}
                  type="number"
                  inputMode="decimal"
                  step={step}
                  value={state[key]}
                  onChange={(e) => set(key, e.target.value)}
                />
              )}
            </Field>
          ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Applies to" name="scopeKind" error={errorOf(errors, "scope.kind")}>
          {(p) => (
            <select
              {...p}
              className={select}
              value={state.scopeKind}
              onChange={(e) => set("scopeKind", e.target.value as "all" | "symbols")}
            >
              <option value="symbols">One symbol or a list</option>
              <option value="all">All symbols</option>
            </select>
          )}
        </Field>
        {state.scopeKind === "symbols" && (
          <Field
            label="Symbols"
            name="symbols"
            hint="e.g. AAPL or AAPL, MSFT"
            error={errorOf(errors, "scope.symbols")}
          >
            {(p) => (
              <input
                {...p}
                className={text}
                value={state.symbols}
                placeholder="AAPL, MSFT"
                onChange={(e) => set("symbols", e.target.value)}
              />
            )}
          </Field>
        )}
        <Field
          label="Cooldown (minutes)"
          name="cooldownMinutes"
          hint="Per symbol, in bar time; 0 for none"
          error={errorOf(errors, "cooldownMinutes")}
        >
          {(p) => (
            <input
              {...p}
              className={text}
              type="number"
              inputMode="numeric"
              step="1"
              min="0"
              value={state.cooldownMinutes}
              onChange={(e) => set("cooldownMinutes", e.target.value)}
            />
          )}
        </Field>
        <Field label="Status" name="status" error={errorOf(errors, "status")}>
          {(p) => (
            <select
              {...p}
              className={select}
              value={state.status}
              onChange={(e) => set("status", e.target.value as "enabled" | "paused")}
            >
              <option value="enabled">Enabled</option>
              <option value="paused">Paused</option>
            </select>
          )}
        </Field>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="rule-summary">
        {checked.ok ? `Fires when: ${describeAlertCondition(checked.input.condition)}.` : "\u00a0"}
      </p>
      {serverError && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-900/30 dark:text-red-100"
          data-testid="rule-form-error"
        >
          {serverError}
        </p>
      )}
      <div className="flex gap-2">
        <AdminButton type="submit" variant="primary" disabled={isSending} data-testid="rule-submit">
          {isSending ? "Saving…" : submitLabel}
        </AdminButton>
        {onCancel && (
          <AdminButton onClick={onCancel} data-testid="rule-cancel">
            Cancel
          </AdminButton>
        )}
      </div>
    </form>
  );
}
