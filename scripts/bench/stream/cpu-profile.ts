import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The parts of a V8 .cpuprofile (node --cpu-prof) that self time needs. */
export type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
};

export type ProfileEntry = { name: string; selfMs: number; share: number };
export type ProfileSummary = { file: string; totalMs: number; top: ProfileEntry[] };

/**
 * Self time per function (name, file and line; the same function reached by different paths adds up),
 * largest first: each sample's time delta goes to the node it hit. Idle and GC keep V8's own names.
 */
export function summarizeCpuProfile(profile: CpuProfile, top = 10): Omit<ProfileSummary, "file"> {
  const nameOf = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const file = callFrame.url ? callFrame.url.replace(/^file:\/\/.*?(node_modules\/|dist\/)/, "$1") : "";
    const name = callFrame.functionName || "(anonymous)";
    nameOf.set(id, file ? `${name} ${file}:${callFrame.lineNumber + 1}` : name);
  }
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const name = nameOf.get(id) ?? "(unknown)";
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
    totalUs += delta;
  });
  return {
    totalMs: totalUs / 1000,
    top: [...selfUs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 })),
  };
}

/** The summaries of every .cpuprofile in `dir` (one per profiled process that exited). */
export function summarizeProfilesIn(dir: string, top = 10): ProfileSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => ({
      file: path.join(dir, f),
      ...summarizeCpuProfile(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as CpuProfile, top),
    }));
}
