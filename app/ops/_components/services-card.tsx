import { Card } from "@/components/ui/card";
import type { OpsSnapshot, ServiceStatus } from "@/lib/events/ops-snapshot";

import { StatusBadge } from "@/components/ui/status-badge";

function Service({ name, service, testId }: { name: string; service: ServiceStatus; testId: string }) {
  return (
    <div className="flex items-center justify-between gap-3 py-1.5">
      <span className="font-medium">{name}</span>
      <span className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
        {service.status === "ok" ? `answered in ${service.latencyMs ?? "?"} ms` : service.error}
        <StatusBadge status={service.status} testId={testId} />
      </span>
    </div>
  );
}

/** Broker and database as the monitor's last sample found them, plus this server's browser count. */
export function ServicesCard({ snapshot }: { snapshot: OpsSnapshot }) {
  return (
    <Card title="Broker and database" testId="ops-services">
      <div className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        <Service name="Kafka" service={snapshot.broker} testId="ops-broker" />
        <Service name="PostgreSQL" service={snapshot.database} testId="ops-database" />
        <div className="flex items-center justify-between py-1.5">
          <span className="font-medium">Browsers on this server</span>
          <span className="tabular text-xs">{snapshot.sockets ?? "—"}</span>
        </div>
      </div>
      <p className="mt-2 text-xs text-slate-500">
        Topics {snapshot.topics.ticks}, {snapshot.topics.kpis}, {snapshot.topics.ticksDlq}
      </p>
    </Card>
  );
}
