import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** CPU seconds (user + system) and memory (MiB) of one process, as /proc last showed them. */
export type ProcessUsage = { cpuSeconds: number; rssMiB: number; peakRssMiB: number };

let ticksPerSecond: number | undefined;

function getTicksPerSecond(): number {
  ticksPerSecond ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return ticksPerSecond;
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, counted after the parenthesised name). */
export function parseCpuSeconds(stat: string, ticks: number): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/** A `Vm…:  123 kB` line of /proc/<pid>/status, in MiB (0 when absent). */
export function parseStatusMiB(status: string, field: "VmRSS" | "VmHWM"): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** The process's usage now, or null once it has exited. */
export function readProcessUsage(pid: number): ProcessUsage | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return {
      cpuSeconds: parseCpuSeconds(stat, getTicksPerSecond()),
      rssMiB: parseStatusMiB(status, "VmRSS"),
      peakRssMiB: parseStatusMiB(status, "VmHWM"),
    };
  } catch {
    return null;
  }
}

/**
 * Samples processes every `intervalMs` and keeps each one's last reading, so that a process that exits
 * (the Java consumer) still has figures: its CPU time up to the last sample, its peak resident set.
 */
export function watchProcesses(intervalMs = 200) {
  const last = new Map<number, ProcessUsage>();
  const sample = () => {
    for (const pid of last.keys()) {
      const usage = readProcessUsage(pid);
      if (usage)
        last.set(pid, { ...usage, peakRssMiB: Math.max(usage.peakRssMiB, last.get(pid)!.peakRssMiB) });
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    add(pid: number): void {
      last.set(pid, readProcessUsage(pid) ?? { cpuSeconds: 0, rssMiB: 0, peakRssMiB: 0 });
    },
    read(pid: number): ProcessUsage | null {
      sample();
      return last.get(pid) ?? null;
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

/**
 * CPU seconds so far of the servers on this machine: every `postgres` process, and the Kafka broker(s),
 * with the part of the broker's that went to its JIT compiler threads (`kafkaJit`, included in `kafka`):
 * a broker whose compilers are still busy is still warming up (./warmup.ts).
 */
export type ServerCpu = { postgres: number; kafka: number; kafkaJit: number };

/**
 * HotSpot's compiler threads, as /proc names them (15 characters: "C2 CompilerThre"). Only live threads
 * count: on 2 cores HotSpot runs one C1 and one C2 thread for the JVM's life, but on a bigger machine it
 * starts and stops extra ones as its queue grows and shrinks, and one that ended takes its CPU with it,
 * so there the share reads low (a warm-up may then stop a round early, never late).
 */
export const JIT_THREAD = /^C[12] CompilerThre/;

/**
 * Sums utime + stime of PostgreSQL's processes (named `postgres`: postmaster and backends; a backend
 * that exits takes its time with it, the benchmark's connections stay open) and of the JVMs running
 * `kafka.Kafka`, and of those JVMs' compiler threads, from /proc. Taken before and after a run, the
 * difference is what the servers spent.
 */
export function readServerCpu(): ServerCpu {
  const total: ServerCpu = { postgres: 0, kafka: 0, kafkaJit: 0 };
  const ticks = getTicksPerSecond();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = readStatName(stat);
      if (name === "postgres") total.postgres += parseCpuSeconds(stat, ticks);
      else if (name === "java" && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("kafka.Kafka")) {
        total.kafka += parseCpuSeconds(stat, ticks);
        total.kafkaJit += readThreadsCpu(entry, JIT_THREAD, ticks);
      }
    } catch {
      // Exited meanwhile.
    }
  }
  return total;
}

/** The process name in a /proc stat line (between the first "(" and the last ")"). */
function readStatName(stat: string): string {
  return stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
}

/** CPU seconds of the threads of process `pid` whose names match `pattern`. */
export function readThreadsCpu(pid: string, pattern: RegExp, ticks: number): number {
  let cpu = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      if (pattern.test(readStatName(stat))) cpu += parseCpuSeconds(stat, ticks);
    } catch {
      // Ended meanwhile.
    }
  }
  return cpu;
}

export function diffServerCpu(before: ServerCpu, after: ServerCpu): ServerCpu {
  return {
    postgres: after.postgres - before.postgres,
    kafka: after.kafka - before.kafka,
    kafkaJit: after.kafkaJit - before.kafkaJit,
  };
}

/** The machine's CPU time so far, from the first line of /proc/stat: busy and all, in clock ticks. */
export type MachineCpu = { busyTicks: number; totalTicks: number };

/**
 * The `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal (guest time is already in
 * user and nice). Idle and iowait are not busy; steal is time the hypervisor gave to someone else, so it
 * counts as neither (the cores were not ours then).
 */
export function parseMachineCpu(procStat: string): MachineCpu {
  const line = procStat.split("\n", 1)[0] ?? "";
  if (!line.startsWith("cpu ")) throw new Error(`not the cpu line of /proc/stat: ${line.slice(0, 40)}`);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0] = line
    .slice(4)
    .trim()
    .split(/\s+/)
    .map(Number);
  const busyTicks = user + nice + system + irq + softirq;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}

export function readMachineCpu(): MachineCpu {
  return parseMachineCpu(readFileSync("/proc/stat", "utf8"));
}

/** The share of the machine's CPU time between two readings that was busy (0 to 1; null when none passed). */
export function busyShareBetween(before: MachineCpu, after: MachineCpu): number | null {
  const total = after.totalTicks - before.totalTicks;
  return total > 0 ? (after.busyTicks - before.busyTicks) / total : null;
}
