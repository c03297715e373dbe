"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";

import { AddSymbolsForm } from "@/components/admin/add-symbols-form";
import { AdminNav } from "@/components/admin/admin-nav";
import { AdminSession, isSignedOut } from "@/components/admin/admin-session";
import { AdminButton } from "@/components/admin/admin-button";
import { AuditLogTable } from "@/components/admin/audit-log-table";
import { PurgeDialog } from "@/components/admin/purge-dialog";
import { SymbolsPager } from "@/components/admin/symbols-pager";
import { SymbolsTable } from "@/components/admin/symbols-table";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { Card } from "@/components/ui/card";
import { useNow } from "@/components/ui/use-now";
import type { PollIntervalBounds } from "@/lib/events/api-admin";
import type { AddSymbolsOutcome, AdminSymbolsResponse, AuditEntry, AuditPage } from "@/lib/events/api-admin";
import { formatCount } from "@/lib/kpi/format";

import { createAdminClient } from "./admin-client";
import { useAdminSymbols } from "./use-admin-symbols";

type Props = {
  username: string;
  csrfToken: string;
  bounds: PollIntervalBounds;
  /** The table's first page (no search), with the deployment's source and the counts per status. */
  initialSymbols: AdminSymbolsResponse;
  initialAudit: AuditPage;
  renderedAt: number;
};

type Notice = { tone: "ok" | "error"; text: string };

/** How often the audit log is re-read: sign-ins change it without a notification. */
const REFRESH_MS = 3_000;

function mergeAudit(fresh: AuditEntry[], current: AuditEntry[]): AuditEntry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of fresh) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/** The signed-in admin page: add, pause, resume, re-time, remove and purge symbols; read the audit log. */
export function AdminConsole({
  username,
  csrfToken,
  bounds,
  initialSymbols,
  initialAudit,
  renderedAt,
}: Props) {
  const router = useRouter();
  const client = useMemo(() => createAdminClient(csrfToken), [csrfToken]);
  // The symbols page and the newest audit entries are live views of the symbols table (symbols:changed);
  // activity figures and sign-ins change without a notification, hence the timers too.
  const table = useAdminSymbols(client, initialSymbols);
  const symbolsResource = table.resource;
  const { source, statusCounts } = table.page;
  const symbols = table.page.symbols;
  const auditResource = useLiveResource({
    queryKey: ["admin", "audit"],
    initialData: initialAudit,
    load: (signal) => client.listAudit(undefined, signal),
    event: "symbols:changed",
    refetchInterval: REFRESH_MS,
  });
  const newestAudit = auditResource.data ?? initialAudit;
  /** Pages loaded with "Load older entries", below the live first page. */
  const [older, setOlder] = useState<AuditPage | null>(null);
  const audit = useMemo(
    () => mergeAudit(newestAudit.entries, older?.entries ?? []),
    [newestAudit.entries, older],
  );
  const nextBefore = older ? older.nextBefore : newestAudit.nextBefore;
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [purgeTarget, setPurgeTarget] = useState<string | null>(null);
  // Server render and hydration share renderedAt; the browser's clock takes over after.
  const now = useNow(1_000, renderedAt);

  const handleError = useCallback(
    (error: unknown) => {
      if (isSignedOut(error)) {
        router.replace("/admin/login");
        return;
      }
      setNotice({ tone: "error", text: error instanceof Error ? error.message : String(error) });
    },
    [router],
  );

  // A background reload that finds the session gone sends the admin to sign in; other failures keep
  // the last good list (the next reload may succeed).
  const isSessionGone = isSignedOut(symbolsResource.error) || isSignedOut(auditResource.error);
  useEffect(() => {
    if (isSessionGone) router.replace("/admin/login");
  }, [isSessionGone, router]);

  const { reload: reloadSymbols } = symbolsResource;
  const { reload: reloadAudit } = auditResource;
  const refresh = useCallback(
    () => Promise.all([reloadSymbols(), reloadAudit()]).then(() => undefined),
    [reloadSymbols, reloadAudit],
  );

  /** Runs one change on a symbol: its buttons are disabled meanwhile, the outcome is announced. */
  const act = async (symbol: string, run: () => Promise<unknown>, success: string): Promise<boolean> => {
    setBusy((b) => new Set(b).add(symbol));
    setNotice(null);
    try {
      await run();
      setNotice({ tone: "ok", text: success });
      await refresh();
      return true;
    } catch (error) {
      handleError(error);
      return false;
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(symbol);
        return next;
      });
    }
  };

  const addSymbols = async (
    text: string,
    pollIntervalSeconds: number | undefined,
  ): Promise<AddSymbolsOutcome> => {
    try {
      const outcome = await client.addSymbols({ symbols: text, pollIntervalSeconds });
      await refresh();
      return outcome;
    } catch (error) {
      if (isSignedOut(error)) router.replace("/admin/login");
      throw error;
    }
  };

  const loadOlder = async () => {
    if (nextBefore === null) return;
    try {
      const page = await client.listAudit(nextBefore);
      setOlder((current) => ({
        entries: mergeAudit(page.entries, current?.entries ?? []),
        nextBefore: page.nextBefore,
      }));
    } catch (error) {
      handleError(error);
    }
  };

  const followedCount = statusCounts.active + statusCounts.paused + statusCounts.invalid;

  return (
    <div className="space-y-4" data-testid="admin-page">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-2xl font-bold">Admin</h1>
        <AdminNav />
        <span
          className="rounded-full bg-slate-200 px-2.5 py-0.5 text-xs font-semibold text-slate-700 dark:bg-slate-800 dark:text-slate-300"
          data-testid="admin-source"
        >
          Source: {source}
        </span>
        <AdminSession username={username} csrfToken={csrfToken} />
      </div>

      {notice && (
        <p
          role={notice.tone === "error" ? "alert" : "status"}
          data-testid="admin-notice"
          data-tone={notice.tone}
          className={
            notice.tone === "error"
              ? "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-900/30 dark:text-red-100"
              : "rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-900/30 dark:text-emerald-100"
          }
        >
          {notice.text}
        </p>
      )}

      <Card title="Add symbols">
        <AddSymbolsForm source={source} bounds={bounds} onAdd={addSymbols} />
      </Card>

      <Card
        title={`Symbols · ${formatCount(statusCounts.active)} active of ${formatCount(followedCount)}${statusCounts.removed ? ` · ${formatCount(statusCounts.removed)} removed` : ""}`}
        testId="symbols-card"
      >
        <SymbolsPager
          text={table.text}
          onTextChange={table.setText}
          offset={table.offset}
          shown={symbols.length}
          total={table.page.total}
          hasPrevious={table.hasPrevious}
          hasNext={table.hasNext}
          onPrevious={table.previous}
          onNext={table.next}
          isBusy={table.isLoading}
        />
        <SymbolsTable
          symbols={symbols}
          emptyMessage={
            table.text.trim() ? "No symbol matches this search." : "No symbols yet: add one above."
          }
          now={now}
          bounds={bounds}
          busy={busy}
          onPause={(s) =>
            void act(
              s,
              () => client.updateSymbol(s, { status: "paused" }),
              `${s} paused: the ingest worker stops polling it within seconds.`,
            )
          }
          onResume={(s) => void act(s, () => client.updateSymbol(s, { status: "active" }), `${s} resumed.`)}
          onRemove={(s) =>
            void act(s, () => client.removeSymbol(s), `${s} removed; its history is kept until you purge it.`)
          }
          onAddAgain={(s) => void act(s, () => client.addSymbols({ symbols: s }), `${s} is followed again.`)}
          onPurge={(s) => setPurgeTarget(s)}
          onSetInterval={(s, seconds) =>
            act(
              s,
              () => client.updateSymbol(s, { pollIntervalSeconds: seconds }),
              `${s} is now polled every ${seconds} s.`,
            )
          }
        />
      </Card>

      <Card title="Audit log" testId="audit-card">
        <AuditLogTable entries={audit} defaultSource={source} />
        {nextBefore !== null && (
          <div className="mt-3 text-center">
            <AdminButton size="sm" onClick={() => void loadOlder()} data-testid="audit-load-older">
              Load older entries
            </AdminButton>
          </div>
        )}
      </Card>

      <PurgeDialog
        symbol={purgeTarget}
        onClose={() => setPurgeTarget(null)}
        onConfirm={async (s, confirm) => {
          const isDone = await act(s, () => client.purgeSymbol(s, confirm), `${s}'s history was deleted.`);
          if (isDone) setPurgeTarget(null);
        }}
      />
    </div>
  );
}
