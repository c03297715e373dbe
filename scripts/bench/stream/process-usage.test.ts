import { describe, expect, it } from "vitest";

import { parseCpuSeconds, parseStatusMiB } from "./process-usage";

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
});
