/**
 * What the machine's CPU allows a drain: each process's CPU per event, their sum, and the rate that sum
 * caps on this many cores. A drain that is CPU-bound reads near its ceiling, and a miss of a rate target
 * is then the machine's speed (or a process's cost per event), not a wait in the pipeline.
 */
export type CpuBudget = {
  cores: number;
  /** Share of the machine's CPU time that was busy over that span, every process's (the benchmark's too). */
  machineBusyShare: number | null;
  /**
   * Microseconds of CPU each event cost, per part of the pipeline and in all, over the rate's span (from
   * the first partition assignment to the last commit).
   */
  microsPerEvent: { workers: number; web: number; postgres: number; kafka: number; total: number };
  /** Events/s all the cores allow at that total cost an event. */
  machineCeiling: number;
  /**
   * Events/s the stream workers allow if each has one core: a worker's JavaScript runs on one thread.
   * Approximate: its process CPU includes V8's helper threads (garbage collection), which may run beside.
   */
  workersCeiling: number;
};

export function computeCpuBudget(input: {
  events: number;
  cores: number;
  workerCount: number;
  machineBusyShare: number | null;
  cpuSeconds: { workers: number; web: number; postgres: number; kafka: number };
}): CpuBudget | null {
  const { events, cores, workerCount, cpuSeconds } = input;
  const spent = cpuSeconds.workers + cpuSeconds.web + cpuSeconds.postgres + cpuSeconds.kafka;
  if (events <= 0 || cores <= 0 || cpuSeconds.workers <= 0) return null;
  const per = (seconds: number) => (seconds * 1e6) / events;
  const microsPerEvent = {
    workers: per(cpuSeconds.workers),
    web: per(cpuSeconds.web),
    postgres: per(cpuSeconds.postgres),
    kafka: per(cpuSeconds.kafka),
    total: per(spent),
  };
  const ceiling = (cpuCores: number, micros: number) => (cpuCores * 1e6) / micros;
  return {
    cores,
    machineBusyShare: input.machineBusyShare,
    microsPerEvent,
    machineCeiling: ceiling(cores, microsPerEvent.total),
    workersCeiling: ceiling(Math.min(workerCount, cores), microsPerEvent.workers),
  };
}
