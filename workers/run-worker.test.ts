import { spawn } from "node:child_process";
import net, { type AddressInfo } from "node:net";
import path from "node:path";

import { pino } from "pino";
import { describe, expect, it } from "vitest";

import { createMetricsRegistry } from "@/lib/metrics/registry";
import { serveWorkerMetrics, type ShutdownHook } from "@/workers/run-worker";

const ROOT = path.resolve(import.meta.dirname, "..");
const FIXTURE = path.join(ROOT, "tests/support/lifecycle/lifecycle-fixture.ts");

type Run = {
  /** Lines the fixture printed ("ready", "step:…"), without the JSON log lines. */
  steps: string[];
  /** Messages of the harness's log lines. */
  logs: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
};

/**
 * Starts the fixture process on the harness, sends `signals` once it is ready (one every `gapMs`), and
 * resolves when it exits.
 */
function runFixture(
  mode: string,
  options: { signals?: NodeJS.Signals[]; gapMs?: number; shutdownTimeoutMs?: number } = {},
): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_MS: String(options.shutdownTimeoutMs ?? 5_000),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const steps: string[] = [];
  const logs: string[] = [];
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("{")) logs.push((JSON.parse(line) as { msg: string }).msg);
      else if (line) steps.push(line);
      if (line === "ready") {
        (options.signals ?? []).forEach((signal, i) =>
          setTimeout(() => child.kill(signal), i * (options.gapMs ?? 0)),
        );
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ steps, logs, code, signal }));
  });
}

// Each case starts a real Node process (tsx), which takes about a second on a busy machine.
describe("process lifecycle (workers/run-worker.ts)", { timeout: 30_000 }, () => {
  it("on SIGTERM stops fetching, then runs the cleanup hooks last-registered first, and exits 0", async () => {
    const run = await runFixture("clean", { signals: ["SIGTERM"] });
    expect(run.code).toBe(0);
    expect(run.steps).toEqual([
      "ready",
      "step:stop-fetching",
      "step:finish-batch",
      "step:disconnect",
      "step:close-pool",
    ]);
    expect(run.logs).toEqual(expect.arrayContaining(["shutting down", "stopped"]));
  });

  it("treats SIGINT (Ctrl-C) like SIGTERM", async () => {
    const run = await runFixture("clean", { signals: ["SIGINT"] });
    expect(run.code).toBe(0);
    expect(run.steps.at(-1)).toBe("step:close-pool");
  });

  it("exits 1 at once on a second signal while cleanup is still running", async () => {
    const run = await runFixture("hang", { signals: ["SIGTERM", "SIGTERM"], gapMs: 300 });
    expect(run.code).toBe(1);
    expect(run.logs).toContain("second stop request: exiting now");
    expect(run.steps).not.toContain("step:close-pool");
  });

  it("exits 1 when cleanup takes longer than the shutdown timeout", async () => {
    const started = Date.now();
    const run = await runFixture("hang", { signals: ["SIGTERM"], shutdownTimeoutMs: 400 });
    expect(run.code).toBe(1);
    expect(run.logs).toContain("shutdown took too long: exiting");
    expect(run.steps).toContain("step:disconnect");
    expect(run.steps).not.toContain("step:close-pool");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("cleans up and exits 1 when start-up fails", async () => {
    const run = await runFixture("fail-start");
    expect(run.code).toBe(1);
    expect(run.steps).not.toContain("ready");
    expect(run.steps.at(-1)).toBe("step:close-pool");
    expect(run.logs).toContain("failed to start");
  });

  it("cleans up and exits with the code a process asks for when it stops itself", async () => {
    const run = await runFixture("give-up");
    expect(run.code).toBe(1);
    expect(run.steps).toEqual([
      "ready",
      "step:stop-fetching",
      "step:finish-batch",
      "step:disconnect",
      "step:close-pool",
    ]);
  });
});

async function listenOnFreePort(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe("serveWorkerMetrics", () => {
  function createContext() {
    const hooks: ShutdownHook[] = [];
    type LogLine = { level: number; msg: string; url?: string };
    const lines: LogLine[] = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    );
    return { ctx: { logger, onShutdown: (hook: ShutdownHook) => void hooks.push(hook) }, hooks, lines };
  }

  it("serves /metrics until the shutdown hook closes it", async () => {
    const { ctx, hooks, lines } = createContext();
    const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
    const probe = await listenOnFreePort();
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    await serveWorkerMetrics(ctx, registry, { host: "127.0.0.1", port });
    const url = lines.find((l) => l.msg === "serving metrics")?.url;
    expect(url).toBe(`http://127.0.0.1:${port}/metrics`);
    expect((await fetch(url!)).status).toBe(200);
    expect(hooks).toHaveLength(1);
    await hooks[0]!();
    await expect(fetch(url!)).rejects.toThrow();
  });

  it("serves nothing on port 0, and runs on with an error logged when the port is taken", async () => {
    const registry = createMetricsRegistry("ingest", { withProcessMetrics: false });
    const off = createContext();
    await serveWorkerMetrics(off.ctx, registry, { host: "127.0.0.1", port: 0 });
    expect(off.hooks).toHaveLength(0);
    expect(off.lines.map((l) => l.msg)).toEqual(["metrics endpoint off (port 0)"]);

    const first = createContext();
    const taken = await listenOnFreePort();
    const port = (taken.address() as AddressInfo).port;
    try {
      await serveWorkerMetrics(first.ctx, registry, { host: "127.0.0.1", port });
      expect(first.hooks).toHaveLength(0);
      expect(first.lines.find((l) => l.level === 50)?.msg).toMatch(/metrics endpoint unavailable/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
