import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

import { STREAM_WORKER_NODE_FLAGS } from "@/workers/stream/node-flags";

describe("the stream worker's V8 flags", () => {
  it("are the ones package.json's worker:stream script (the container's command) passes", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts["worker:stream"]).toBe(
      `NODE_ENV=production node ${STREAM_WORKER_NODE_FLAGS.join(" ")} dist/workers/stream.js`,
    );
  });

  it("are flags this Node accepts and applies (an unknown one would stop the worker)", () => {
    const script =
      "const v8 = require('node:v8');" +
      "const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');" +
      "const keep = []; for (let i = 0; i < 2e6; i++) { const o = { i, a: [i] }; if (i % 4 === 0) keep.push(o); }" +
      "process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));";
    const youngBytes = Number(
      execFileSync(process.execPath, [...STREAM_WORKER_NODE_FLAGS, "-e", script], { encoding: "utf8" }),
    );
    // ≤ 3 semi-spaces of the size the flags give, whatever the machine's memory.
    const semiSpaceMb = Number(
      STREAM_WORKER_NODE_FLAGS.find((f) => f.startsWith("--max-semi-space-size="))?.split("=")[1],
    );
    expect(semiSpaceMb).toBeGreaterThan(0);
    expect(youngBytes).toBeLessThanOrEqual(3 * semiSpaceMb * 1024 * 1024);
  });
});
