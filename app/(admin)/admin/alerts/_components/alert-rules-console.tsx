"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";

import { AdminNav } from "@/components/admin/admin-nav";
import { AdminSession, isSignedOut } from "@/components/admin/admin-session";
import { AdminButton } from "@/components/admin/admin-button";
import { AlertRuleForm } from "@/components/admin/alert-rule-form";
import { EMPTY_ALERT_RULE_FORM, toAlertRuleFormState } from "@/components/admin/alert-rule-form-state";
import { AlertRulesTable } from "@/components/admin/alert-rules-table";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { Card } from "@/components/ui/card";
import type { AlertRuleInput } from "@/lib/events/alert-rule";
import type { AdminAlertRule, AdminAlertRulesResponse } from "@/lib/events/api-alerts";

import { createAlertRulesClient } from "./alert-rules-client";

type Props = { username: string; csrfToken: string; initialRules: AdminAlertRulesResponse };

type Notice = { tone: "ok" | "error"; text: string };

/** Event counts change as alerts fire (alerts:changed reloads them) and when another admin edits. */
const REFRESH_MS = 5_000;

/** The signed-in admin's alert rules: create, edit, pause, resume and delete; every change is audited. */
export function AlertRulesConsole({ username, csrfToken, initialRules }: Props) {
  const router = useRouter();
  const client = useMemo(() => createAlertRulesClient(csrfToken), [csrfToken]);
  const resource = useLiveResource({
    queryKey: ["admin", "alert-rules"],
    initialData: initialRules,
    load: (signal) => client.list(signal),
    event: "alerts:changed",
    refetchInterval: REFRESH_MS,
  });
  const rules = (resource.data ?? initialRules).rules;
  const [editing, setEditing] = useState<AdminAlertRule | null>(null);
  const [isCreating, setCreating] = useState(false);
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const { reload } = resource;

  const isSessionGone = isSignedOut(resource.error);
  useEffect(() => {
    if (isSessionGone) router.replace("/admin/login");
  }, [isSessionGone, router]);

  const fail = useCallback(
    (error: unknown) => {
      if (isSignedOut(error)) router.replace("/admin/login");
      throw error;
    },
    [router],
  );

  const act = async (rule: AdminAlertRule, run: () => Promise<unknown>, success: string) => {
    setBusy((b) => new Set(b).add(rule.id));
    setNotice(null);
    try {
      await run();
      setNotice({ tone: "ok", text: success });
      await reload();
    } catch (error) {
      if (isSignedOut(error)) return router.replace("/admin/login");
      setNotice({ tone: "error", text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(rule.id);
        return next;
      });
    }
  };

  const create = async (input: AlertRuleInput) => {
    const { rule } = await client.create(input).catch(fail);
    setCreating(false);
    setNotice({ tone: "ok", text: `Rule "${rule.name}" created: the stream workers apply it within 5 s.` });
    await reload();
  };

  const update = async (id: number, input: AlertRuleInput) => {
    const { rule } = await client.update(id, input).catch(fail);
    setEditing(null);
    setNotice({ tone: "ok", text: `Rule "${rule.name}" saved (version ${rule.version}).` });
    await reload();
  };

  const remove = (rule: AdminAlertRule) => {
    if (!window.confirm(`Delete the rule "${rule.name}"? It stops firing; its alerts stay in the history.`))
      return;
    void act(rule, () => client.remove(rule.id), `Rule "${rule.name}" deleted.`);
  };

  return (
    <div className="space-y-4" data-testid="alert-rules-page">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-2xl font-bold">Alert rules</h1>
        <AdminNav />
        <AdminSession username={username} csrfToken={csrfToken} />
      </div>

      {notice && (
        <p
          role={notice.tone === "error" ? "alert" : "status"}
          data-testid="admin-notice"
          data-tone={notice.tone}
          className={
            notice.tone === "error"
              ? "rounded-md bg-red-50 px-3 py-2 text-sm wrap-anywhere text-red-800 dark:bg-red-900/30 dark:text-red-100"
              : "rounded-md bg-emerald-50 px-3 py-2 text-sm wrap-anywhere text-emerald-900 dark:bg-emerald-900/30 dark:text-emerald-100"
          }
        >
          {notice.text}
        </p>
      )}

      <Card
        title={editing ? `Edit rule #${editing.id}` : "New rule"}
        testId="rule-form-card"
        actions={
          !editing &&
          !isCreating && (
            <AdminButton variant="primary" size="sm" onClick={() => setCreating(true)} data-testid="rule-new">
              New rule
            </AdminButton>
          )
        }
      >
        {editing ? (
          <AlertRuleForm
            key={`edit-${editing.id}-${editing.version}-${editing.updatedAt}`}
            initial={toAlertRuleFormState(editing)}
            submitLabel="Save rule"
            onSubmit={(input) => update(editing.id, input)}
            onCancel={() => setEditing(null)}
          />
        ) : isCreating ? (
          <AlertRuleForm
            key="create"
            initial={EMPTY_ALERT_RULE_FORM}
            submitLabel="Create rule"
            onSubmit={create}
            onCancel={() => setCreating(false)}
          />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            A rule watches one symbol, a list or all of them, and fires once per crossing on final bars; the
            cooldown keeps a price flapping around a level from firing again within that many minutes.
          </p>
        )}
      </Card>

      <Card title={`Rules · ${rules.length}`} testId="rules-card">
        <AlertRulesTable
          rules={rules}
          busy={busy}
          onEdit={(rule) => {
            setCreating(false);
            setEditing(rule);
          }}
          onPause={(rule) =>
            void act(rule, () => client.setStatus(rule.id, "paused"), `Rule "${rule.name}" paused.`)
          }
          onResume={(rule) =>
            void act(rule, () => client.setStatus(rule.id, "enabled"), `Rule "${rule.name}" resumed.`)
          }
          onDelete={remove}
        />
      </Card>
    </div>
  );
}
