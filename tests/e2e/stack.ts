import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { KafkaConnection } from "@/lib/kafka/connection";
import { pollUntil, PollTimeoutError } from "@/lib/retry";

/** What global setup started, shared with the test workers through a file. */
export type E2eState = {
  databaseUrl: string;
  brokers: string;
  topics: { ticks: string; kpis: string; ticksDlq: string };
  adminUsername: string;
  adminPassword: string;
  /** Environment every product process of the run gets. */
  env: Record<string, string>;
  /** Kafka user of each process, added to its environment. */
  kafkaEnv: Record<"ingest" | "stream" | "web", Record<string, string>>;
  /** The connection the fixtures produce test bars with. */
  kafkaAdmin: KafkaConnection;
  workerPids: number[];
};

export const E2E_DIR = path.resolve(".data", "e2e");
const STATE_FILE = path.join(E2E_DIR, "state.json");

export function writeE2eState(state: E2eState): void {
  mkdirSync(E2E_DIR, { recursive: true });
  // It holds the run's passwords (admin sign-in, Kafka users).
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
  chmodSync(STATE_FILE, 0o600);
}

export function readE2eState(): E2eState {
  if (!existsSync(STATE_FILE))
    throw new Error("e2e state missing: run through `npm run test:e2e` (global setup)");
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as E2eState;
}

/**
 * Starts a built product process (dist/…) detached, logging to .data/e2e/<name>.log; `nodeFlags` go
 * before the script (e.g. the stream worker's STREAM_WORKER_NODE_FLAGS).
 */
export function spawnProductProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): number {
  mkdirSync(E2E_DIR, { recursive: true });
  const log = openSync(path.join(E2E_DIR, `${name}.log`), "a");
  const child = spawn(process.execPath, [...nodeFlags, script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
    detached: true,
  });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name}`);
  return child.pid;
}

export async function stopProcess(pid: number, timeoutMs = 15_000): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const isGone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true; // signal 0 fails once the process no longer exists
    }
  };
  try {
    await pollUntil(isGone, { timeoutMs, intervalMs: 100, what: `process ${pid} to exit` });
    return;
  } catch (error) {
    // Still running after the grace period: killed below.
    if (!(error instanceof PollTimeoutError)) throw error;
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* gone */
  }
}
