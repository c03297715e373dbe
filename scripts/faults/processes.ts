import { readdirSync, readFileSync } from "node:fs";

/** A process of the running product, as the suite finds it in /proc. */
export type ProductProcess = { pid: number; role: "web" | "ingest" | "stream" };

const ROLES: readonly [ProductProcess["role"], RegExp][] = [
  ["stream", /workers\/stream\.(js|ts)\b/],
  ["ingest", /workers\/ingest\.(js|ts)\b/],
  ["web", /\bserver\.(js|ts)\b/],
];

function readProc(pid: string, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return null; // the process is gone
  }
}

/** Parent pid from /proc/<pid>/stat (the command name in parentheses may hold spaces). */
function getParentPid(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** The web server and workers the supervisor (`npm start`'s node process) runs right now. */
export function listProductProcesses(supervisorPid: number): ProductProcess[] {
  const out: ProductProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, "stat");
    if (!stat || getParentPid(stat) !== supervisorPid) continue;
    const cmdline = readProc(entry, "cmdline")?.replaceAll("\0", " ") ?? "";
    const role = ROLES.find(([, pattern]) => pattern.test(cmdline))?.[0];
    if (role) out.push({ pid: Number(entry), role });
  }
  return out;
}

/** Resident memory of a process in bytes, or null when it is gone. */
export function readRssBytes(pid: number): number | null {
  const status = readProc(String(pid), "status");
  const kb = status ? /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] : undefined;
  return kb ? Number(kb) * 1024 : null;
}

/** Peak resident memory per role, sampled every `intervalMs` until `stop()`. */
export function sampleMemory(supervisorPid: () => number | null, intervalMs = 500) {
  const peaks = new Map<ProductProcess["role"], number>();
  const timer = setInterval(() => {
    const pid = supervisorPid();
    if (!pid) return;
    for (const p of listProductProcesses(pid)) {
      const rss = readRssBytes(p.pid);
      if (rss !== null && rss > (peaks.get(p.role) ?? 0)) peaks.set(p.role, rss);
    }
  }, intervalMs);
  return {
    peaks,
    stop: () => clearInterval(timer),
  };
}
