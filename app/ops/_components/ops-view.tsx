"use client";

import { fetchJson } from "@/components/realtime/fetch-json";
import type { LiveSocket } from "@/components/realtime/socket";
import { useLiveResource } from "@/components/realtime/use-live-resource";
import { opsSnapshotSchema, type OpsSnapshot } from "@/lib/events/ops-snapshot";
import type { SubscribeAck } from "@/lib/realtime/events";

import { DeadLettersCard } from "./dead-letters-card";
import { FreshnessCard } from "./freshness-card";
import { LatencyCard } from "./latency-card";
import { OpsTime } from "./ops-time";
import { PartitionsCard } from "./partitions-card";
import { ServicesCard } from "./services-card";
import { StatusBadge } from "@/components/ui/status-badge";
import { ThroughputCard } from "./throughput-card";
import { WorkersCard } from "./workers-card";

/** Joins the `ops` room; resolves once the server confirmed it (the hook reloads from REST then). */
function joinOpsRoom(socket: LiveSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket
      .timeout(5_000)
      .emit("ops:subscribe", (error: Error | null, ack: SubscribeAck) =>
        error ? reject(error) : ack.ok ? resolve() : reject(new Error(ack.error)),
      );
  });
}

/** A snapshot replaces the one shown unless it is older (a REST answer that raced a live one). */
const keepNewest = (data: OpsSnapshot, event: OpsSnapshot) =>
  event.sampledAt >= data.sampledAt ? event : data;

/** The pipeline at a glance, updated every couple of seconds over Socket.IO. */
export function OpsView({ initial }: { initial: OpsSnapshot }) {
  const { data: snapshot = initial, error } = useLiveResource({
    queryKey: ["ops"],
    load: (signal) => fetchJson("/api/ops", opsSnapshotSchema, { signal }),
    initialData: initial,
    event: "ops:updated",
    join: joinOpsRoom,
    merge: keepNewest,
  });

  return (
    <div className="space-y-4" data-testid="ops-page" data-sampled-at={snapshot.sampledAt}>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">Pipeline operations</h1>
        <StatusBadge status={snapshot.status} testId="ops-status" />
        <span className="text-xs text-slate-500">
          Sampled <OpsTime ts={snapshot.sampledAt} /> every {snapshot.sampleMs / 1000} s · group{" "}
          <code>{snapshot.groupId}</code>
        </span>
      </div>
      {error && <p className="text-sm text-red-600">Could not refresh: {error.message}</p>}
      {snapshot.problems.length > 0 && (
        <ul
          className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
          data-testid="ops-problems"
        >
          {snapshot.problems.map((p) => (
            <li key={`${p.check}:${p.subject}`}>{p.message}</li>
          ))}
        </ul>
      )}
      <ThroughputCard snapshot={snapshot} />
      <div className="grid gap-4 lg:grid-cols-3">
        <PartitionsCard snapshot={snapshot} className="lg:col-span-2" />
        <LatencyCard latency={snapshot.latency} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <FreshnessCard freshness={snapshot.freshness} now={snapshot.sampledAt} />
        <DeadLettersCard deadLetters={snapshot.deadLetters} now={snapshot.sampledAt} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <WorkersCard workers={snapshot.workers} now={snapshot.sampledAt} />
        <ServicesCard snapshot={snapshot} />
      </div>
    </div>
  );
}
