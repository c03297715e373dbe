import type { AuditEntry } from "@/lib/events/api-admin";
import { describeAuditAction, describeAuditChange } from "@/components/admin/describe-audit-entry";
import { Time } from "@/components/ui/time";
import type { SymbolSource } from "@/lib/events/symbol";
import { TableScroll } from "@/components/ui/table-scroll";

/**
 * Admin changes, newest first: when, who, what, which symbol, before → after, from where. Times are
 * shown in the viewer's chosen zone; "exchange time" is the deployment's exchange zone, since many
 * entries (sign-ins) belong to no symbol.
 */
export function AuditLogTable({
  entries,
  defaultSource,
}: {
  entries: AuditEntry[];
  /** The deployment's source (INGEST_SOURCE), of symbols recorded without their own. */
  defaultSource: SymbolSource;
}) {
  if (entries.length === 0) return <p className="py-4 text-sm text-slate-500">No changes recorded yet.</p>;
  return (
    <TableScroll className="-mx-4 px-4">
      <table className="w-full min-w-[48rem] text-sm" data-testid="audit-table">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
            <th scope="col" className="py-2 pr-3">
              When
            </th>
            <th scope="col" className="py-2 pr-3">
              Who
            </th>
            <th scope="col" className="py-2 pr-3">
              Action
            </th>
            <th scope="col" className="py-2 pr-3">
              Symbol
            </th>
            <th scope="col" className="py-2 pr-3">
              Change
            </th>
            <th scope="col" className="py-2">
              Client IP
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr
              key={e.id}
              data-testid="audit-row"
              data-action={e.action}
              data-symbol={e.symbol ?? ""}
              className="border-b border-slate-100 last:border-0 dark:border-slate-800"
            >
              <td className="tabular py-2 pr-3 whitespace-nowrap">
                <Time ts={e.at} withDate withSeconds testId="audit-at" />
              </td>
              <td className="py-2 pr-3">{e.actor}</td>
              <td className="py-2 pr-3 font-medium">{describeAuditAction(e.action)}</td>
              <td className="py-2 pr-3 font-mono">{e.symbol ?? "–"}</td>
              <td className="py-2 pr-3 text-slate-600 dark:text-slate-300">
                {describeAuditChange(e, defaultSource) || "–"}
              </td>
              <td className="py-2 font-mono text-xs text-slate-500 dark:text-slate-400">
                {e.clientIp ?? "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
