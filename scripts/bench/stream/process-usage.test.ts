import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { JIT_THREAD, parseCpuSeconds, parseStatusMiB, readThreadsCpu } from "./process-usage";

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
