import type { ProfileSummary } from "./cpu-profile";
import type { DrainResult } from "./run-drain";
import type { SteadyResult } from "./run-steady";

/** One run's figures, with the stream workers' CPU profiles when the run was profiled. */
export type RunResult = (DrainResult | SteadyResult) & { profiles?: ProfileSummary[] };

/** One of issue 14's targets beside the figure of this run (pass null: the run that measures it was not made). */
export type TargetCheck = { target: string; figure: string; pass: boolean | null };

/** CPU per event of the stream worker before issue 14: 13.2 CPU s for the 110,000-event drain. */
export const BASELINE_CPU_MICROS_PER_EVENT = (13.2 * 1e6) / 110_000;

const ms = (x: number | null) => (x === null ? "–" : `${Math.round(x)} ms`);
const rate = (x: number) => `${Math.round(x).toLocaleString("en-US")} events/s`;

function steady(results: RunResult[], eventsPerSecond: number, extraClients = 0): SteadyResult[] {
  return results.filter(
    (r): r is SteadyResult =>
      r.kind === "steady" && r.rate === eventsPerSecond && r.extraClients === extraClients,
  );
}

function check(target: string, figure: string | null, pass: boolean | null): TargetCheck {
  return { target, figure: figure ?? "not run", pass: figure === null ? null : pass };
}

/** The backlog issue 14's drain targets and CPU baseline were measured on (1,000 × 100 min + 10%). */
const ISSUE_DRAIN_EVENTS = 110_000;

/** Issue 14's targets, each against the runs that measure it (one line per worker count). */
export function checkTargets(results: RunResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const workersOf = (r: RunResult) => `${r.workers} worker${r.workers > 1 ? "s" : ""}`;
  for (const r of steady(results, 2_000)) {
    const w = workersOf(r);
    const c = r.committedLatency;
    checks.push(
      check(`2,000/s, ${w}: producedAt → committed p50 ≤ 50 ms`, ms(c.p50), c.p50 !== null && c.p50 <= 50),
      check(`2,000/s, ${w}: producedAt → committed p99 ≤ 200 ms`, ms(c.p99), c.p99 !== null && c.p99 <= 200),
      check(
        `2,000/s, ${w}: producedAt → Socket.IO client p99 ≤ 300 ms`,
        ms(r.socketLatency.p99),
        r.socketLatency.p99 !== null && r.socketLatency.p99 <= 300,
      ),
    );
  }
  for (const r of steady(results, 10_000)) {
    const w = workersOf(r);
    const p99 = r.committedLatency.p99;
    checks.push(
      check(`10,000/s, ${w}: producedAt → committed p99 ≤ 1 s`, ms(p99), p99 !== null && p99 <= 1_000),
      check(
        `10,000/s, ${w}: no growing lag (≤ 2 s of events behind when the window ends)`,
        `${r.lagAtWindowEnd.toLocaleString("en-US")} events behind, max ${r.maxLag.toLocaleString("en-US")}`,
        r.lagAtWindowEnd <= 2 * r.rate,
      ),
    );
  }
  const drains1k = results.filter((r): r is DrainResult => r.kind === "drain" && r.dataSet.symbols <= 1_000);
  for (const r of drains1k) {
    const w = workersOf(r);
    if (r.events < ISSUE_DRAIN_EVENTS) {
      // A smoke run's small backlog: group joins and start-up dominate both the ceiling and the worker.
      checks.push(
        check(`drain, ${w}: issue 14's drain targets`, `not judged on ${r.events} events (quick)`, null),
      );
      continue;
    }
    checks.push(
      check(`drain, ${w}: ≥ 30,000 events/s`, rate(r.eventsPerSecond), r.eventsPerSecond >= 30_000),
    );
    const cp = "error" in r.consumerPerformance ? null : r.consumerPerformance.eventsPerSecond;
    checks.push(
      check(
        `drain, ${w}: ≥ 25% of Kafka's ConsumerPerformance`,
        cp === null ? "ceiling failed" : `${((100 * r.eventsPerSecond) / cp).toFixed(1)}% of ${rate(cp)}`,
        cp !== null && r.eventsPerSecond >= 0.25 * cp,
      ),
    );
    if (r.workers === 1)
      checks.push(
        check(
          `drain, ${w}: CPU per event ≤ before issue 14 (${Math.round(BASELINE_CPU_MICROS_PER_EVENT)} µs)`,
          `${Math.round(r.cpuMicrosPerEvent)} µs`,
          r.cpuMicrosPerEvent <= BASELINE_CPU_MICROS_PER_EVENT,
        ),
      );
  }
  const drains10k = results.filter(
    (r): r is DrainResult => r.kind === "drain" && r.dataSet.symbols >= 10_000,
  );
  for (const r of drains10k) {
    const peak = Math.max(
      0,
      ...r.processes.filter((p) => p.name.startsWith("bench-stream")).map((p) => p.peakRssMiB),
    );
    checks.push(
      check(
        `10,000 symbols, ${workersOf(r)}: stream worker peak RSS < 512 MiB`,
        `${Math.round(peak)} MiB`,
        peak < 512,
      ),
    );
  }
  const crowded = results.filter((r): r is SteadyResult => r.kind === "steady" && r.extraClients > 0);
  for (const r of crowded) {
    const baseline = steady(results, r.rate).find((b) => b.workers === r.workers);
    const added =
      baseline && r.socketFromPublished.p99 !== null && baseline.socketFromPublished.p99 !== null
        ? r.socketFromPublished.p99 - baseline.socketFromPublished.p99
        : null;
    checks.push(
      check(
        `${r.extraClients.toLocaleString("en-US")} Socket.IO clients on one web process add p99 ≤ 50 ms (publishedAt → receipt)`,
        added === null
          ? null
          : `${Math.round(added)} ms (${ms(r.socketFromPublished.p99)} vs ${ms(baseline!.socketFromPublished.p99)})`,
        added !== null && added <= 50,
      ),
    );
  }
  return checks;
}
