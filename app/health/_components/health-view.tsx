"use client";

import { useQuery } from "@tanstack/react-query";

import { fetchJson } from "@/components/realtime/fetch-json";
import { Card } from "@/components/ui/card";
import { healthReportSchema, type ComponentStatus, type HealthReport } from "@/lib/events/api-health";
import { readYahooSourceMetrics, type WorkerMetrics } from "@/lib/events/worker-metrics";
import { cn } from "@/lib/utils";

const REFRESH_MS = 3_000;

const BADGE: Record<ComponentStatus, string> = {
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  degraded: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  down: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  unknown: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};
const WORDS: Record<ComponentStatus, string> = {
  ok: "OK",
  degraded: "Degraded",
  down: "Down",
  unknown: "Unknown",
};

function Badge({ status, testId }: { status: ComponentStatus; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={cn("rounded-full px-2.5 py-0.5 text-xs font-semibold", BADGE[status])}
    >
      {WORDS[status]}
    </span>
  );
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, v) => a + v, 0);

/**
 * The worker's own figures from its heartbeat: what it produced, held back, failed on. Figures that are
 * missing or do not match their schema are said to be unknown, never shown as zeros.
 */
function WorkerFigures({
  kind,
  info,
  isRunning,
}: {
  kind: string;
  info?: WorkerMetrics;
  isRunning: boolean;
}) {
  let rows: [string, string][] = [];
  if (info?.kind === "ingest") {
    const { publisher } = info;
    const published = Object.entries(publisher.published).map(
      ([source, bySymbol]) =>
        [`published (${source})`, sum(bySymbol).toLocaleString("en-US")] as [string, string],
    );
    const errors = readYahooSourceMetrics(info)?.errors ?? {};
    rows = [
      ...published,
      ["held while Kafka is away", publisher.buffered.toLocaleString("en-US")],
      ["failed sends (retried)", String(publisher.sendFailures)],
      ...(Object.keys(errors).length
        ? [
            [
              "Yahoo fetch errors",
              Object.entries(errors)
                .map(([k, v]) => `${k} ${v}`)
                .join(", "),
            ] as [string, string],
          ]
        : []),
    ];
  } else if (info?.kind === "stream") {
    rows = [
      ["events applied", info.applied.toLocaleString("en-US")],
      ["batches committed", info.batches.toLocaleString("en-US")],
      ["dead letters", String(info.deadLettered)],
      ["batches retried", String(info.failedBatches)],
    ];
  } else if (isRunning) {
    return (
      <p className="mt-2 text-xs text-slate-500" data-testid={`health-figures-${kind}`}>
        Figures unknown (the heartbeat carries none this page can read).
      </p>
    );
  }
  if (rows.length === 0) return null;
  return (
    <dl
      className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 text-xs text-slate-600 dark:text-slate-300"
      data-testid={`health-figures-${kind}`}
    >
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt>{k}</dt>
          <dd className="tabular text-right">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Polls /api/health every 3 s and says, in plain words, which part of the pipeline is up or down. */
export function HealthView({ initial }: { initial: HealthReport }) {
  const { data: report = initial, error } = useQuery({
    queryKey: ["health"],
    initialData: initial,
    // 503 carries the same report: something is down, and the report says what.
    queryFn: ({ signal }) =>
      fetchJson("/api/health", healthReportSchema, { signal, acceptedStatuses: [503] }),
    refetchInterval: REFRESH_MS,
    staleTime: 0,
    retry: false,
  });

  return (
    <div className="space-y-4" data-testid="health-page">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-bold">System health</h1>
        <Badge status={report.status} testId="health-overall" />
      </div>
      {error && <p className="text-red-600">Could not refresh: {error.message}</p>}
      <ul className="list-disc space-y-1 pl-5" data-testid="health-summary">
        {report.summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="PostgreSQL" actions={<Badge status={report.postgres.status} testId="health-postgres" />}>
          <p className="text-sm">
            {report.postgres.status === "ok"
              ? `Answered in ${report.postgres.latencyMs} ms.`
              : report.postgres.error}
          </p>
        </Card>
        <Card title="Kafka" actions={<Badge status={report.kafka.status} testId="health-kafka" />}>
          {report.kafka.error && <p className="text-sm">{report.kafka.error}</p>}
          <ul className="text-sm">
            {report.kafka.topics.map((t) => (
              <li key={t.topic} className="tabular">
                {t.topic}:{" "}
                {t.present ? `${t.partitions} partition${t.partitions === 1 ? "" : "s"}` : "missing"}
              </li>
            ))}
          </ul>
        </Card>
        {Object.entries(report.workers).map(([kind, w]) => (
          <Card
            key={kind}
            title={`${kind} worker`}
            actions={<Badge status={w.status} testId={`health-worker-${kind}`} />}
          >
            <p className="text-sm">
              {w.status === "ok"
                ? `${w.instances} running; last heartbeat ${w.lastBeatSecondsAgo}s ago.`
                : (w.error ??
                  (w.lastBeatSecondsAgo === null
                    ? "No heartbeat yet."
                    : `Silent for ${w.lastBeatSecondsAgo}s.`))}
            </p>
            <WorkerFigures kind={kind} info={w.info} isRunning={w.status === "ok"} />
          </Card>
        ))}
      </div>
      <p className="text-xs text-slate-500">
        Checked {new Date(report.checkedAt).toLocaleTimeString("en-GB", { hour12: false })} · refreshes every
        3 s · JSON at /api/health
      </p>
    </div>
  );
}
