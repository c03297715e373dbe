import type { CpuBudget } from "./cpu-budget";
import type { ProfileSummary } from "./cpu-profile";
import { formatLagSeries } from "./lag";
import type { ServerCpu } from "./process-usage";
import type { LatencySummary } from "./quantiles";
import type { DrainResult } from "./run-drain";
import type { SteadyResult } from "./run-steady";
import type { TargetCheck } from "./targets";

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "–");
const ms = (x: number | null) =>
  x === null ? "–" : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;

export function formatLatency(l: LatencySummary, maxPrefix = ""): string {
  if (l.count === 0) return "no events";
  return `p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}, max ${maxPrefix}${ms(l.max)} (${n(l.count)} events)`;
}

function formatProcesses(processes: { name: string; cpuSeconds: number; peakRssMiB: number }[]): string {
  return processes
    .map(
      (p) =>
        `${p.name.replace("bench-", "")} ${p.cpuSeconds.toFixed(1)} CPU s, peak RSS ${Math.round(p.peakRssMiB)} MiB`,
    )
    .join("; ");
}

/** The servers' CPU over the same span, per event: what the workers' figures leave out. */
function formatServers(s: ServerCpu, events: number): string {
  const per = (cpu: number) => (events > 0 ? `${Math.round((cpu * 1e6) / events)} µs per event` : "–");
  return `servers: PostgreSQL ${s.postgres.toFixed(1)} CPU s (${per(s.postgres)}), Kafka broker ${s.kafka.toFixed(1)} CPU s (${per(s.kafka)}; its JIT compilers ${s.kafkaJit.toFixed(1)} s)`;
}

/** Each part's CPU an event, and the rates that CPU cost allows (./cpu-budget.ts). */
export function formatCpuBudget(b: CpuBudget, workers: number): string {
  const m = b.microsPerEvent;
  const us = (x: number) => Math.round(x).toString();
  const busy =
    b.machineBusyShare === null ? "" : `; the machine was ${Math.round(100 * b.machineBusyShare)}% busy`;
  const who = workers > 1 ? `the ${workers} workers on a core each` : "the worker on one core";
  return `CPU budget: workers ${us(m.workers)} + web ${us(m.web)} + PostgreSQL ${us(m.postgres)} + broker ${us(m.kafka)} = ${us(m.total)} µs an event; at that cost ${b.cores} cores allow at most ${n(b.machineCeiling)} events/s, ${who} about ${n(b.workersCeiling)}${busy}`;
}

function formatDifferences(result: DrainResult | SteadyResult): string {
  const c = result.comparison;
  if (!c) return "rows not compared: the workers did not store every event in time";
  const head = `differences: ${c.differences} (${n(c.expected)} bars expected, ${n(c.stored)} stored`;
  return c.differences === 0
    ? `${head})`
    : `${head}; missing ${c.missing}, unexpected ${c.unexpected}, wrong values ${c.mismatched}: ${c.examples.join("; ")})`;
}

export function formatDrain(r: DrainResult): string {
  const cp = "error" in r.consumerPerformance ? null : r.consumerPerformance;
  const kj = "error" in r.kafkajs ? null : r.kafkajs;
  const lines = [
    `\n${r.label}: ${n(r.dataSet.symbols)} symbols × ${r.dataSet.minutes} min + 10% revisions = ${n(r.events)} events, ${r.workers} stream worker${r.workers > 1 ? "s" : ""}`,
    `  produced in ${r.produceSeconds.toFixed(1)} s (before anything reads the topic)`,
    r.drained
      ? `  stream worker: ${n(r.eventsPerSecond)} events/s, ${n(r.rowsPerSecond)} rows/s into PostgreSQL (${r.seconds.toFixed(1)} s from partition assignment; ${n(r.eventsPerSecondWithStartup)} events/s over ${r.secondsWithStartup.toFixed(1)} s from process start)`
      : `  stream worker: NOT DRAINED within the time limit (${n(r.eventsPerSecond)} events/s so far)`,
    `  fetched twice: ${n(r.skippedEvents)} events fetched and parsed again, then skipped as already applied (rebalances)`,
    cp
      ? `  Kafka ConsumerPerformance: ${n(cp.eventsPerSecond)} events/s (${n(cp.fetchEventsPerSecond)} counting fetch time only), ${cp.cpuSeconds.toFixed(1)} CPU s, peak RSS ${Math.round(cp.peakRssMiB)} MiB → worker at ${pct(r.eventsPerSecond, cp.eventsPerSecond)} (${pct(r.eventsPerSecond, cp.fetchEventsPerSecond)} of fetch-only)`
      : `  Kafka ConsumerPerformance: failed: ${"error" in r.consumerPerformance ? r.consumerPerformance.error : ""}`,
    kj
      ? `  kafkajs, no work: ${n(kj.eventsPerSecond)} events/s (${n(kj.eventsPerSecondWithJoin)} with the group join), ${kj.cpuSeconds.toFixed(1)} CPU s → worker at ${pct(r.eventsPerSecond, kj.eventsPerSecond)}`
      : `  kafkajs, no work: failed: ${"error" in r.kafkajs ? r.kafkajs.error : ""}`,
    `  CPU and memory: ${formatProcesses(r.processes)}; stream workers ${Math.round(r.cpuMicrosPerEvent)} µs CPU per event`,
    `  ${formatServers(r.servers, r.events)}`,
    ...(r.cpuBudget ? [`  ${formatCpuBudget(r.cpuBudget, r.workers)}`] : []),
    `  lag: ${formatLagSeries(r.lag)}`,
    `  ${formatDifferences(r)}`,
  ];
  return lines.join("\n");
}

export function formatSteady(r: SteadyResult): string {
  const lines = [
    `\n${r.label}: ${n(r.rate)} events/s target, ${r.warmupSeconds} s warm-up + ${r.seconds} s measured, ${n(r.dataSet.symbols)} symbols, ${r.workers} stream worker${r.workers > 1 ? "s" : ""}, ${r.measuringClients} measuring Socket.IO clients${r.extraClients ? ` + ${n(r.extraClients)} viewers` : ""}`,
    `  produced: ${n(r.achievedRate)} events/s achieved (${n(r.windowEvents)} events in the window, ${n(r.sent)} in all)`,
    `  stored: ${n(r.eventsPerSecond)} events/s, ${n(r.rowsPerSecond)} rows/s into PostgreSQL (from the window's start until caught up); ${r.caughtUpAfter === null ? "NOT caught up within the wait after the producer stopped" : `caught up ${r.caughtUpAfter.toFixed(1)} s after the producer stopped`}`,
    `  producedAt → committed (workers' histogram): ${formatLatency(r.committedLatency, "≤ ")}`,
    `  producedAt → Socket.IO client (each bar matched to its event): ${formatLatency(r.socketLatency)}`,
    `  publishedAt → Socket.IO client (web relay and fan-out): ${formatLatency(r.socketFromPublished)}`,
    `  CPU and memory: ${r.processes.map((p) => `${p.name.replace("bench-", "")} ${p.windowCpuSeconds.toFixed(1)} CPU s in the window, peak RSS ${Math.round(p.peakRssMiB)} MiB`).join("; ")}; stream workers ${Math.round(r.cpuMicrosPerEvent)} µs CPU per event`,
    `  ${formatServers(r.servers, r.windowEvents)}`,
    `  lag (every 1 s): ${formatLagSeries(r.lag, 16)}; at window end ${n(r.lagAtWindowEnd)}, max ${n(r.maxLag)}`,
    `  ${formatDifferences(r)}`,
  ];
  return lines.join("\n");
}

export function formatTargets(checks: TargetCheck[]): string {
  const width = Math.max(...checks.map((c) => c.target.length));
  const rows = checks.map(
    (c) =>
      `  ${c.pass === null ? "  –  " : c.pass ? "PASS " : "MISS "} ${c.target.padEnd(width)}  ${c.figure}`,
  );
  return [`\ntargets (issue 14, this machine, this run)`, ...rows].join("\n");
}

export function formatProfiles(profiles: ProfileSummary[]): string {
  return profiles
    .map((p) =>
      [
        `  CPU profile ${p.file} (${(p.totalMs / 1000).toFixed(1)} s sampled), most self time:`,
        ...p.top.map((e) => `    ${(100 * e.share).toFixed(1).padStart(5)}%  ${e.name}`),
      ].join("\n"),
    )
    .join("\n");
}
