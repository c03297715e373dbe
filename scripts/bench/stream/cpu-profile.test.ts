import { describe, expect, it } from "vitest";

import { summarizeCpuProfile, type CpuProfile } from "./cpu-profile";

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });

describe("summarizeCpuProfile", () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)") },
      { id: 2, callFrame: frame("parse", "file:///work/x/node_modules/zod/v4/core.js", 9) },
      { id: 3, callFrame: frame("(idle)") },
      // The same function reached through another caller: its self time adds up with node 2's.
      { id: 4, callFrame: frame("parse", "file:///work/x/node_modules/zod/v4/core.js", 9) },
      { id: 5, callFrame: frame("", "file:///work/x/dist/workers/stream.js", 41) },
    ],
    samples: [2, 3, 4, 5, 2, 3],
    timeDeltas: [1_000, 4_000, 2_000, 500, 1_000, 1_500],
  };

  it("adds each sample's time to its function, largest first, with its share", () => {
    const summary = summarizeCpuProfile(profile);
    expect(summary.totalMs).toBe(10);
    expect(summary.top).toEqual([
      { name: "(idle)", selfMs: 5.5, share: 0.55 },
      { name: "parse node_modules/zod/v4/core.js:10", selfMs: 4, share: 0.4 },
      { name: "(anonymous) dist/workers/stream.js:42", selfMs: 0.5, share: 0.05 },
    ]);
  });

  it("keeps only the `top` largest", () => {
    expect(summarizeCpuProfile(profile, 1).top.map((e) => e.name)).toEqual(["(idle)"]);
  });
});
