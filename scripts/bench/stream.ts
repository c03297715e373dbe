import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { getEnv } from "@/lib/env";
import { createKafkaClient } from "@/lib/kafka/client";
import { createLogger, describeError } from "@/lib/log";
import { ensureBuilt } from "@/scripts/stack/build";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka, kafkaVersion } from "@/scripts/stack/kafka";
import { ROOT_DIR } from "@/scripts/stack/paths";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";

import { summarizeProfilesIn } from "./stream/cpu-profile";
import type { BenchBase } from "./stream/product";
import { formatDrain, formatProfiles, formatSteady, formatTargets } from "./stream/report";
import { runDrain } from "./stream/run-drain";
import { runSteady } from "./stream/run-steady";
import { checkTargets, parseRepeats, type RunResult } from "./stream/targets";
import {
  describeWarmupRounds,
  needsAnotherWarmupRound,
  parseWarmupSetting,
  toWarmupRound,
  type WarmupRound,
} from "./stream/warmup";

/** A fixed, past trading session for the backlog drains (bars of the past are accepted at any time). */
const DRAIN_FIRST_TS = Date.parse("2026-03-16T13:30:00Z");

type Plan = {
  id: string;
  /** Drains run `--repeat` times (the targets take their medians); steady runs once. */
  kind: RunResult["kind"];
  run: (base: BenchBase, name: string) => Promise<RunResult>;
};

function drain(id: string, label: string, symbols: number, minutes: number, workers: number): Plan {
  return {
    id,
    kind: "drain",
    run: (base, name) =>
      runDrain(base, {
        name,
        label,
        dataSet: { symbols, minutes, firstTs: DRAIN_FIRST_TS },
        workers,
        timeoutMs: 15 * 60_000,
      }),
  };
}

function steady(
  id: string,
  label: string,
  rate: number,
  workers: number,
  timing: { warmupSeconds: number; seconds: number },
  extraClients = 0,
): Plan {
  return {
    id,
    kind: "steady",
    run: (base, name) =>
      runSteady(base, {
        name,
        label,
        rate,
        workers,
        symbols: 1_000,
        ...timing,
        extraClients,
        catchUpTimeoutMs: 90_000,
      }),
  };
}

/** The full run: issue 14's data sets and rates, with 1 and 2 stream workers. */
function planFull(): Plan[] {
  const timing = { warmupSeconds: 15, seconds: 60 };
  return [
    drain("drain-1k", "backlog drain", 1_000, 100, 1),
    drain("drain-1k-2w", "backlog drain", 1_000, 100, 2),
    drain("drain-10k", "backlog drain, 10,000 symbols", 10_000, 10, 1),
    steady("steady-2k", "steady 2,000/s", 2_000, 1, timing),
    // Right after its baseline (steady-2k), so that the machine's load is as alike as it can be.
    steady("clients-1000", "steady 2,000/s with 1,000 viewers", 2_000, 1, timing, 1_000),
    steady("steady-5k", "steady 5,000/s", 5_000, 1, timing),
    steady("steady-10k", "steady 10,000/s", 10_000, 1, timing),
    steady("steady-2k-2w", "steady 2,000/s", 2_000, 2, timing),
    steady("steady-10k-2w", "steady 10,000/s", 10_000, 2, timing),
  ];
}

/**
 * The warm-up before the measured runs, scored by nothing: the mode's drain of 1,000 symbols (drain-1k,
 * or the quick drain-small) and the quick run's 20 s at 2,000 events/s. A broker the benchmark has just
 * started runs its request paths interpreted until its JIT has compiled them, and a new PostgreSQL
 * cluster creates its WAL files as it fills them. Measured cold (2026-12-02): the broker took 2.0-2.6
 * CPU s in a drain against 0.3-0.9 once warm; a new cluster's first drain cost PostgreSQL 28 µs an
 * event against 15-16; the first steady 2,000/s after a cold start (two drains after it) had committed
 * p99 451 ms, warm runs 30-34. `--warmup=N`: N rounds of both; `--warmup=auto` (the full run's
 * default): rounds until the broker's CPU per event in the drain settles (./stream/warmup.ts).
 */
function planWarmup(isQuick: boolean): { drain: Plan; steady: Plan } {
  const quick = planQuick();
  const drainId = isQuick ? "drain-small" : "drain-1k";
  return {
    drain: (isQuick ? quick : planFull()).find((p) => p.id === drainId)!,
    steady: quick.find((p) => p.id === "steady-2k")!,
  };
}

/** A smoke run of about two minutes (three with the warm-up round): one small drain, one short steady run, a small crowd. */
function planQuick(): Plan[] {
  const timing = { warmupSeconds: 5, seconds: 15 };
  return [
    drain("drain-small", "backlog drain (quick)", 200, 50, 1),
    steady("steady-2k", "steady 2,000/s (quick)", 2_000, 1, timing),
    steady("clients-200", "steady 2,000/s with 200 viewers (quick)", 2_000, 1, timing, 200),
  ];
}

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kafka: kafkaVersion(),
  };
}

const formatLoad = (load: number[]) => load.map((x) => x.toFixed(2)).join(" ");

/**
 * `npm run bench -- stream [--quick] [--only=id,id] [--warmup=N|auto] [--repeat=N] [--out=file.json]
 * [--cpu-prof]`: the real pipeline as `npm start` runs it (built stream workers and web server, each a
 * process of its own) on products of its own: backlog drains beside Kafka's own consumer and a
 * do-nothing kafkajs consumer on the same topic, steady-rate runs with latency to PostgreSQL and to
 * Socket.IO clients, a crowd of viewers; the stored rows compared with the produced events after every
 * run. Prints the figures and issue 14's targets, and writes them all as JSON
 * (.data/bench/stream-<time>.json unless --out). The measured runs follow the warm-up (planWarmup: until
 * the broker settles in the full run, one round in the quick run, N rounds with --warmup=N), printed and
 * kept but never scored. Each drain runs --repeat times (3 in the full run, 1 in the quick one), each on
 * a fresh topic and database, and the targets take the medians (./stream/targets.ts). --cpu-prof runs
 * the stream workers under node --cpu-prof and prints the functions with the most self time (the
 * profiler slows them a little: profile in a run of its own, not the one whose figures you keep).
 */
export async function benchStream(args: readonly string[] = []): Promise<void> {
  const isQuick = args.includes("--quick");
  const isProfiling = args.includes("--cpu-prof");
  const only = args
    .find((a) => a.startsWith("--only="))
    ?.slice("--only=".length)
    .split(",");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const out =
    args.find((a) => a.startsWith("--out="))?.slice("--out=".length) ??
    path.join(ROOT_DIR, ".data", "bench", `stream-${stamp}.json`);
  const profileDir = isProfiling ? path.join(ROOT_DIR, ".data", "bench", `profiles-${stamp}`) : null;
  const plans = (isQuick ? planQuick() : planFull()).filter((p) => !only || only.includes(p.id));
  const warmup = parseWarmupSetting(
    args.find((a) => a.startsWith("--warmup="))?.slice("--warmup=".length),
    isQuick,
  );
  const warmups = planWarmup(isQuick);
  const repeats = parseRepeats(
    args.find((a) => a.startsWith("--repeat="))?.slice("--repeat=".length),
    isQuick,
  );

  loadEnvFiles();
  const env = getEnv();
  ensureBuilt((message) => console.log(`[bench] ${message}`));
  const { access: database } = await ensureProductPostgres(env);
  const broker = await ensureKafka(env);
  const logger = createLogger("bench", "error");
  const undo: (() => Promise<void>)[] = [];
  const base: BenchBase = {
    env,
    adminDatabaseUrl: database.adminUrl,
    broker,
    kafka: createKafkaClient({ ...broker.admin, clientId: "bench-stream", logger }),
    logger,
    profileDir,
    defer: (step) => {
      let done = false;
      const once = async () => {
        if (done) return;
        done = true;
        undo.splice(undo.indexOf(once), 1);
        await step().catch((error: unknown) =>
          console.error(`[bench] cleanup step failed: ${describeError(error)}`),
        );
      };
      undo.push(once);
      return once;
    },
  };
  // Ctrl-C: stop the spawned processes, drop the scratch databases and topics, then leave.
  const onSignal = () => {
    console.error("\n[bench] interrupted: cleaning up");
    void (async () => {
      for (const step of [...undo].reverse()) await step();
      process.exit(130);
    })();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const machine = describeMachine();
  const command = `npm run bench -- stream${args.length ? ` ${args.join(" ")}` : ""}`;
  console.log(
    `\nstream benchmark (${isQuick ? "quick" : "full"}): ${command}\n  ${startedAt.toISOString()}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, Kafka ${machine.kafka}; load average ${formatLoad(loadBefore)}`,
  );
  const runId = Date.now().toString(36);
  const results: RunResult[] = [];
  const warmupResults: RunResult[] = [];
  const loads: { id: string; before: number[]; after: number[] }[] = [];
  let failed = false;
  /** Runs a plan, prints and keeps its figures; undefined if it failed (printed, and the command fails). */
  const runPlan = async (
    plan: Plan,
    isWarmup: boolean,
    repetition: string | null = null,
  ): Promise<RunResult | undefined> => {
    const before = os.loadavg();
    try {
      // Its own database, topics and group: a repetition never meets its predecessor's.
      const id = repetition ? `${plan.id}, ${repetition}` : plan.id;
      const name = `${runId}_${id.replace(/[^a-z0-9]+/gi, "_")}`;
      // Warm-up rounds: printed and kept like any run (the first figures of a cold machine are
      // figures too), never profiled nor scored; one whose stored rows differ still fails the command.
      const run = await plan.run(isWarmup ? { ...base, profileDir: null } : base, name);
      const result = isWarmup
        ? { ...run, label: `${plan.id}, not scored: ${run.label}` }
        : repetition
          ? { ...run, label: `${run.label} (${repetition})` }
          : run;
      if (profileDir && !isWarmup)
        result.profiles = [
          ...summarizeProfilesIn(path.join(profileDir, name)),
          ...summarizeProfilesIn(path.join(profileDir, name, "web")),
        ];
      (isWarmup ? warmupResults : results).push(result);
      loads.push({ id, before, after: os.loadavg() });
      console.log(result.kind === "drain" ? formatDrain(result) : formatSteady(result));
      if (result.profiles) console.log(formatProfiles(result.profiles));
      console.log(`  load average ${formatLoad(before)} before, ${formatLoad(os.loadavg())} after`);
      if (result.comparison && result.comparison.differences > 0) failed = true;
      return result;
    } catch (error) {
      failed = true;
      console.error(`\n${plan.id}: FAILED: ${describeError(error)}`);
      // Where it failed (the async stack names the benchmark's step), for a failure that is not ours.
      if (error instanceof Error && error.stack) console.error(error.stack);
      return undefined;
    }
  };
  const warmupLabel = (plan: Plan, label: string): Plan => ({ ...plan, id: `${label}, ${plan.id}` });
  /** What each warm-up round whose drain went through said about the broker, in order. */
  const warmupRounds: (WarmupRound & { round: number })[] = [];
  try {
    // Rounds of a drain and 20 s at 2,000/s: `warmup` of them, or ("auto") until the broker settles.
    const isWarmupDue = (round: number) =>
      warmup === "auto" ? needsAnotherWarmupRound(warmupRounds) : round <= warmup;
    for (let round = 1; isWarmupDue(round); round++) {
      const drained = await runPlan(warmupLabel(warmups.drain, `warm-up round ${round}`), true);
      const isDrained = drained?.kind === "drain" && drained.drained;
      if (!isDrained && warmup === "auto") break;
      const steady = await runPlan(warmupLabel(warmups.steady, `warm-up round ${round}`), true);
      if (isDrained)
        warmupRounds.push({
          round,
          ...toWarmupRound(drained.servers, drained.events, steady?.servers ?? null),
        });
    }
    if (warmup !== 0) console.log(`\n${describeWarmupRounds(warmupRounds, warmup)}`);
    for (const plan of plans) {
      const times = plan.kind === "drain" ? repeats : 1;
      for (let i = 1; i <= times; i++) {
        await runPlan(plan, false, times > 1 ? `repetition ${i} of ${times}` : null);
      }
    }
  } finally {
    for (const step of [...undo].reverse()) await step();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const targets = checkTargets(results);
  console.log(formatTargets(targets));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        command,
        mode: isQuick ? "quick" : "full",
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { ...machine, loadAverage: { before: loadBefore, after: os.loadavg(), byRun: loads } },
        targets,
        warmup: { setting: warmup, rounds: warmupRounds },
        repeats,
        warmups: warmupResults,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nall figures: ${path.relative(process.cwd(), out)}`);
  if (failed) throw new Error("the stream benchmark found differences or a run failed (see above)");
}
