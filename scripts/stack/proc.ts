import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { pollUntil, PollTimeoutError } from "@/lib/retry";

import { LOG_DIR, RUN_DIR } from "./paths";

/** A problem the user can fix; the CLI prints its message alone, without a stack trace. */
export class StackError extends Error {
  override name = "StackError";
}

export function say(message: string): void {
  process.stdout.write(`[tickstream] ${message}\n`);
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Runs a command to completion; throws a StackError with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; what?: string } = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
  });
  if (result.error)
    throw new StackError(`${options.what ?? command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new StackError(`${options.what ?? command} failed (exit ${result.status}):\n${output}`);
  }
  return result;
}

export function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).status === 0;
}

export function pidFile(name: string): string {
  return path.join(RUN_DIR, `${name}.pid`);
}

export function logFile(name: string): string {
  return path.join(LOG_DIR, `${name}.log`);
}

export function readPid(name: string): number | null {
  const file = pidFile(name);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Starts a long-running process in its own process group, detached, logging to .data/logs/<name>.log. */
export function spawnDetached(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): number {
  // Private from the start (private-files.ts fixes what existed before): logs and pid files are ours alone.
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  mkdirSync(LOG_DIR, { recursive: true, mode: 0o700 });
  const fd = openSync(logFile(name), "a", 0o600);
  const child = spawn(command, args, { detached: true, stdio: ["ignore", fd, fd], env });
  closeSync(fd);
  if (!child.pid) throw new StackError(`could not start ${name} (${command})`);
  child.unref();
  writeFileSync(pidFile(name), `${child.pid}\n`, { mode: 0o600 });
  return child.pid;
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopProcessGroup(pid: number, graceMs = 20_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal("SIGTERM");
  const isGone = () => !isAlive(pid);
  try {
    await pollUntil(isGone, { timeoutMs: graceMs, intervalMs: 200, what: `process ${pid} to exit` });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    signal("SIGKILL");
    await pollUntil(isGone, { timeoutMs: 30_000, intervalMs: 100, what: `process ${pid} to die (SIGKILL)` });
  }
}

export function removePidFile(name: string): void {
  rmSync(pidFile(name), { force: true });
}

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A TCP port free on 127.0.0.1 now (the system's pick), for a process started next to listen on. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

export function isLocalHost(host: string): boolean {
  return ["127.0.0.1", "localhost", "::1", "0.0.0.0"].includes(host);
}

/** Last lines of a log file, for error messages. */
export function tailLog(name: string, lines = 20): string {
  const file = logFile(name);
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}
