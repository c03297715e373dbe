import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort, findFreePortPair } from "@/scripts/stack/ports";
import { runNode } from "@/tests/support/run-node";

// `npm start` against a private cluster of its own (a temporary data folder, free ports), never the
// shared stack: what a failed start leaves running is checked through /proc and the cluster's pid file.
const ROOT = path.resolve(import.meta.dirname, "../..");
const USER = "tickstream";

/** Pids of the processes whose command line mentions `text` (the cluster's folder names its servers). */
function findProcesses(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

describe("a failed npm start stops what it started, and only that", () => {
  let dataDir: string;
  let pgPort: number;
  let stackEnv: Record<string, string>;
  const url = (password: string) => `postgres://${USER}:${password}@127.0.0.1:${pgPort}/tickstream`;
  const clusterDir = () => path.join(dataDir, "postgres");
  const withStack = (code: string, password = "right-password") =>
    runNode(["-e", code], { ...stackEnv, DATABASE_URL: url(password) });
  const startCluster = () =>
    withStack(
      `import("./scripts/stack/postgres.ts").then((m) => m.ensurePostgres(process.env.DATABASE_URL))`,
    );
  const stopCluster = () =>
    withStack(`import("./scripts/stack/postgres.ts").then((m) => m.stopPrivatePostgres())`);
  const start = async (password: string, kafkaPort: number) =>
    runNode(["scripts/start.ts", "--no-web"], {
      ...stackEnv,
      DATABASE_URL: url(password),
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    });

  beforeAll(async () => {
    // Traversable by the `postgres` user, which runs the cluster when the tests run as root.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "tickstream-start-failure-"));
    chmodSync(dataDir, 0o755);
    pgPort = await findFreePort();
    stackEnv = {
      TICKSTREAM_DATA_DIR: dataDir,
      PORT: String(await findFreePort()),
      INGEST_METRICS_PORT: "0",
      STREAM_METRICS_PORT: "0",
    };
    // The cluster is created once with the right password, then stopped: as after an earlier start.
    const created = await startCluster();
    expect(created.code, created.stdout + created.stderr).toBe(0);
    expect((await stopCluster()).code).toBe(0);
  });

  afterAll(async () => {
    if (dataDir && existsSync(path.join(clusterDir(), "postmaster.pid"))) await stopCluster();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("stops the private cluster it started when DATABASE_URL has a wrong password, with a one-line error", async () => {
    const run = await start("wrong-password", await findFreePort());

    expect(run.code).toBe(1);
    const errors = run.stderr.trim().split("\n");
    expect(errors).toEqual([
      expect.stringMatching(
        /^\[tickstream\] PostgreSQL: the private cluster on 127\.0\.0\.1:\d+ refused user tickstream \(.*password.*\); fix the user or password in DATABASE_URL/,
      ),
    ]);
    expect(run.stdout).toContain("PostgreSQL: private cluster stopped");
    expect(existsSync(path.join(clusterDir(), "postmaster.pid"))).toBe(false);
    expect(findProcesses(clusterDir())).toEqual([]);
    expect(existsSync(path.join(dataDir, "run", "start.json"))).toBe(false);
  });

  it("stops the private cluster it started when Kafka cannot be had", async () => {
    // Kafka's port is taken by something that is not a broker (a plain listener): a StackError at once.
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => blocker.once("listening", resolve));
    try {
      const run = await start("right-password", (blocker.address() as net.AddressInfo).port);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /is in use by something that does not answer as this checkout.s Kafka broker/,
      );
      expect(run.stdout).toContain("PostgreSQL: private cluster stopped");
      expect(findProcesses(clusterDir())).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it("says so at once when the port after Kafka's, where the broker's controller listens, is taken", async () => {
    const kafkaPort = await findFreePortPair();
    const blocker = net.createServer().listen(kafkaPort + 1, "127.0.0.1");
    await new Promise((resolve, reject) => {
      blocker.once("listening", resolve);
      blocker.once("error", reject);
    });
    try {
      const run = await start("right-password", kafkaPort);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `Port ${kafkaPort + 1} is in use: the local Kafka broker's controller listens on the port after ${kafkaPort}`,
      );
      expect(run.stdout).not.toContain("Kafka: starting");
      expect(run.stdout).toContain("PostgreSQL: private cluster stopped");
      expect(findProcesses(clusterDir())).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it("leaves running a PostgreSQL it merely connected to", async () => {
    expect((await startCluster()).code).toBe(0);
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => blocker.once("listening", resolve));
    try {
      const run = await start("right-password", (blocker.address() as net.AddressInfo).port);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("PostgreSQL: using the server at");
      expect(run.stdout).not.toContain("private cluster stopped");
      expect(findProcesses(clusterDir()).length).toBeGreaterThan(0);
    } finally {
      blocker.close();
      await stopCluster();
    }
  });

  it("Ctrl-C while the infrastructure comes up stops the cluster and the broker it started, after the step in progress", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--no-web"], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stackEnv,
        DATABASE_URL: url("right-password"),
        KAFKA_BROKERS: `127.0.0.1:${await findFreePortPair()}`,
        FORCE_COLOR: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let interruptedAt: string | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      // Interrupted while the broker is still starting, after the cluster is up.
      if (interruptedAt === null && /Kafka: starting/.test(stdout)) {
        interruptedAt = stdout;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(interruptedAt, stdout).not.toBeNull();
    expect(code, stdout).toBe(130);
    expect(stdout).toContain("stopping once the infrastructure step in progress ends");
    expect(stdout).toContain("Kafka: local broker stopped");
    expect(stdout).toContain("PostgreSQL: private cluster stopped");
    expect(findProcesses(dataDir)).toEqual([]);
    expect(existsSync(path.join(dataDir, "run", "start.json"))).toBe(false);
  }, 180_000);
});
