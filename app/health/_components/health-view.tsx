"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { OpsTime } from "@/app/ops/_components/ops-time";
import { fetchJson } from "@/components/realtime/fetch-json";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { healthReportSchema, type HealthReport } from "@/lib/events/api-health";
import type { WorkerMetrics } from "@/lib/events/worker-metrics";
import { formatCount } from "@/lib/kpi/format";

const REFRESH_MS = 2_000;

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
      ([source, bySymbol]) => [`published (${source})`, formatCount(sum(bySymbol))] as [string, string],
    );
    const { errors } = info.sources.yahoo;
    rows = [
      ...published,
      ["held while Kafka is away", formatCount(publisher.buffered)],
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
      ["events applied", formatCount(info.applied)],
      ["batches committed", formatCount(info.batches)],
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

const CHECK_NAMES: Record<HealthReport["problems"][number]["check"], string> = {
  postgres: "Database",
  kafka: "Kafka",
  worker: "Worker",
  partition: "Lag without progress",
  freshness: "Stale data",
  monitor: "Monitor",
};

/** Why the report is not "ok": each problem with the rule that found it. */
function Problems({ problems }: { problems: HealthReport["problems"] }) {
  if (problems.length === 0) return null;
  return (
    <section
      className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-50"
      data-testid="health-problems"
    >
      <h2 className="mb-2 text-sm font-semibold">
        Why it is not OK ({problems.length} problem{problems.length === 1 ? "" : "s"})
      </h2>
      <ul className="space-y-1 text-sm">
        {problems.map((p) => (
          <li key={`${p.check}:${p.subject}`} data-check={p.check}>
            <span className="mr-2 rounded bg-amber-200 px-1.5 py-0.5 text-xs font-semibold dark:bg-amber-800">
              {CHECK_NAMES[p.check]}
            </span>
            {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Polls /api/health every 2 s and says, in plain words, which part of the pipeline is up or down. */
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
        <StatusBadge status={report.status} testId="health-overall" />
      </div>
      {error && <p className="text-red-600">Could not refresh: {error.message}</p>}
      <Problems problems={report.problems} />
      <ul className="list-disc space-y-1 pl-5" data-testid="health-summary">
        {/* The problems box above already states these. */}
        {report.summary
          .filter((line) => !report.problems.some((p) => p.message === line))
          .map((line) => (
            <li key={line}>{line}</li>
          ))}
      </ul>
      <div className="grid gap-4 md:grid-cols-2">
        <Card
          title="PostgreSQL"
          actions={<StatusBadge status={report.postgres.status} testId="health-postgres" />}
        >
          <p className="text-sm">
            {report.postgres.status === "ok"
              ? `Answered in ${report.postgres.latencyMs} ms.`
              : report.postgres.error}
          </p>
        </Card>
        <Card title="Kafka" actions={<StatusBadge status={report.kafka.status} testId="health-kafka" />}>
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
        <Card
          title="Pipeline"
          actions={
            <Link href="/ops" className="text-sm text-brand hover:underline">
              Details on /ops
            </Link>
          }
          testId="health-pipeline"
        >
          {report.pipeline ? (
            <dl className="tabular grid grid-cols-[1fr_auto] gap-x-4 text-sm">
              <dt>partitions making progress</dt>
              <dd className="text-right">
                {report.pipeline.partitions - report.pipeline.stalledPartitions} of{" "}
                {report.pipeline.partitions}
              </dd>
              <dt>events behind (lag)</dt>
              <dd className="text-right">{formatCount(report.pipeline.totalLag)}</dd>
              <dt>applied per second</dt>
              <dd className="text-right">{report.pipeline.appliedPerSecond?.toFixed(1) ?? "—"}</dd>
              <dt>active symbols with recent bars</dt>
              <dd className="text-right">
                {report.pipeline.activeSymbols - report.pipeline.staleSymbols} of{" "}
                {report.pipeline.activeSymbols}
              </dd>
            </dl>
          ) : (
            <p className="text-sm">No pipeline monitor runs in this process.</p>
          )}
        </Card>
        {Object.entries(report.workers).map(([kind, w]) => (
          <Card
            key={kind}
            title={`${kind} worker`}
            actions={<StatusBadge status={w.status} testId={`health-worker-${kind}`} />}
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
        Checked <OpsTime ts={Date.parse(report.checkedAt)} /> · refreshes every 2 s · JSON at /api/health
      </p>
    </div>
  );
}
