import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import {
  busyShareBetween,
  JIT_THREAD,
  parseCpuSeconds,
  parseMachineCpu,
  parseStatusMiB,
  readMachineCpu,
  readThreadsCpu,
} from "./process-usage";

describe("process usage from /proc", () => {
  it("adds utime and stime, reading past a process name with spaces and parentheses", () => {
    const stat = "4242 (node (my worker)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 11 0 100";
    expect(parseCpuSeconds(stat, 100)).toBe(3.25);
  });

  it("reads VmRSS and VmHWM in MiB", () => {
    const status = "Name:\tnode\nVmHWM:\t  524288 kB\nVmRSS:\t  262144 kB\n";
    expect(parseStatusMiB(status, "VmHWM")).toBe(512);
    expect(parseStatusMiB(status, "VmRSS")).toBe(256);
  });

  it("sums the CPU of a process's threads whose names match", () => {
    // Busy for a while on the main thread, so that the figures are well above a tick.
    const until = performance.now() + 300;
    while (performance.now() < until);
    const self = String(process.pid);
    const ticks = 100;
    const total = parseCpuSeconds(readFileSync(`/proc/${self}/stat`, "utf8"), ticks);
    const all = readThreadsCpu(self, /^/, ticks);
    // Every thread matches: the process's own figure, up to the threads that ended (a tick or two).
    expect(all).toBeGreaterThan(0.2);
    expect(all).toBeLessThanOrEqual(total + 0.02);
    expect(all).toBeGreaterThan(total - 0.2);
    expect(readThreadsCpu(self, /^no thread is named this$/, ticks)).toBe(0);
  });

  it("takes HotSpot's compiler threads, as /proc names them, for the JIT's", () => {
    for (const name of ["C2 CompilerThre", "C1 CompilerThre"]) expect(name).toMatch(JIT_THREAD);
    for (const name of ["G1 Young RemSet", "VM Thread", "data-plane-kafk", "C2 Compiler", "xC2 CompilerThre"])
      expect(name).not.toMatch(JIT_THREAD);
  });
});

describe("the machine's CPU from /proc/stat", () => {
  it("counts user, nice, system, irq and softirq as busy, idle and iowait as not, steal as neither", () => {
    const stat = "cpu  100 5 20 300 10 1 4 7 0 0\ncpu0 50 2 10 150 5 0 2 3 0 0\nintr 1\n";
    expect(parseMachineCpu(stat)).toEqual({ busyTicks: 130, totalTicks: 440 });
  });

  it("refuses a text that is not /proc/stat", () => {
    expect(() => parseMachineCpu("cpu0 1 2 3 4")).toThrow(/not the cpu line/);
  });

  it("reads a busy share between two readings", () => {
    expect(busyShareBetween({ busyTicks: 100, totalTicks: 400 }, { busyTicks: 190, totalTicks: 500 })).toBe(
      0.9,
    );
    expect(
      busyShareBetween({ busyTicks: 100, totalTicks: 400 }, { busyTicks: 100, totalTicks: 400 }),
    ).toBeNull();
  });

  it("sees this process's busy loop in the machine's busy time", () => {
    const before = readMachineCpu();
    const until = performance.now() + 300;
    while (performance.now() < until);
    const after = readMachineCpu();
    // At least this thread's 0.3 s (30 ticks at 100 Hz; CLK_TCK is 100 on Linux) was busy.
    expect(after.busyTicks - before.busyTicks).toBeGreaterThanOrEqual(25);
    expect(busyShareBetween(before, after)).toBeGreaterThan(0);
  });
});
