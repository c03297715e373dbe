import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { pollUntil } from "@/lib/retry";

const STOPPABLE = path.resolve(import.meta.dirname, "stoppable.sh");

const dirs: string[] = [];
const sleepers: number[] = [];
const shells: ChildProcess[] = [];
afterEach(() => {
  // A failed test may leave its shell and its sleeper running.
  for (const shell of shells.splice(0)) if (shell.exitCode === null) shell.kill("SIGKILL");
  for (const pid of sleepers.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `script` in bash after sourcing stoppable.sh; resolves with its exit code (or signal) and output. */
function runBash(script: string) {
  const child = spawn("bash", ["-c", `set -euo pipefail; source '${STOPPABLE}'; ${script}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  shells.push(child);
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, done };
}

/** Whether `pid` runs: a zombie (exited, not yet reaped by PID 1 after its parent died) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Waits until `check` holds (lib/retry.ts pollUntil). */
const waitUntil = (what: string, check: () => boolean) =>
  pollUntil(check, { what, timeoutMs: 10_000, intervalMs: 20 });

/**
 * A command for run_stoppable that starts a sleep of its own and waits for it, as npm waits for the
 * nested npm install it starts: the sleep's pid goes to a file. Stopping the command alone would leave
 * the sleep running.
 */
function sleeperIn(dir: string): { command: string; pidFile: string } {
  const pidFile = path.join(dir, "pid");
  return {
    command: `bash -c 'sleep 60 & echo $! > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile}; wait'`,
    pidFile,
  };
}

describe("run_stoppable (scripts/lib/stoppable.sh)", () => {
  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
    ["SIGHUP", 129],
  ] as const) {
    it(`stops the command it runs, and what that started, when the shell alone gets ${signal}; exits ${code}`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "stoppable-"));
      dirs.push(dir);
      const sleeper = sleeperIn(dir);
      const { child, done } = runBash(`run_stoppable ${sleeper.command}; echo "went on"`);
      await waitUntil("the command's pid", () => existsSync(sleeper.pidFile));
      const pid = Number(readFileSync(sleeper.pidFile, "utf8"));
      sleepers.push(pid);
      expect(isAlive(pid)).toBe(true);

      // The signal reaches the shell only, as npm's SIGTERM reaches `npm start`'s script.
      child.kill(signal);
      const result = await done;
      expect(result.code).toBe(code);
      expect(result.stdout).not.toContain("went on");
      await waitUntil("the command to be gone", () => !isAlive(pid));
    }, 20_000);
  }

  for (const follow of [true, false]) {
    it(
      follow
        ? "with STOPPABLE_FOLLOW_PARENT=1, stops the command when the shell's parent goes away (npm killed)"
        : "without STOPPABLE_FOLLOW_PARENT, leaves the command to the shell when its parent goes away",
      async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stoppable-"));
        dirs.push(dir);
        const sleeper = sleeperIn(dir);
        const innerPidFile = path.join(dir, "inner");
        // The parent (as npm is to `npm start`'s script) runs the shell under test and waits for it.
        const inner = `set -euo pipefail; source '${STOPPABLE}'; ${follow ? "STOPPABLE_FOLLOW_PARENT=1;" : ""} run_stoppable ${sleeper.command}`;
        const parent = spawn("bash", ["-c", `bash -c "$INNER" & echo $! > '${innerPidFile}'; wait`], {
          stdio: "ignore",
          env: { ...process.env, INNER: inner },
        });
        shells.push(parent);
        await waitUntil("the command's pid", () => existsSync(sleeper.pidFile) && existsSync(innerPidFile));
        const pid = Number(readFileSync(sleeper.pidFile, "utf8"));
        const shell = Number(readFileSync(innerPidFile, "utf8"));
        sleepers.push(pid, shell);

        // Killed outright: nothing is passed on, the shell under test is only re-parented.
        parent.kill("SIGKILL");
        if (follow) {
          await waitUntil("the command to be gone", () => !isAlive(pid));
          await waitUntil("the shell to be gone", () => !isAlive(shell));
        } else {
          await new Promise((r) => setTimeout(r, 1_500));
          expect(isAlive(pid)).toBe(true);
          expect(isAlive(shell)).toBe(true);
        }
      },
      // Waits for the re-parented shell's next look (every 0.5 s) and for PID 1 to reap what exits.
      20_000,
    );
  }

  it("returns the command's status, and puts the caller's traps back", async () => {
    const { done } = runBash(
      `trap 'echo caller-term' TERM; run_stoppable true; status=0; run_stoppable sh -c 'exit 7' || status=$?; echo "status $status"; trap -p TERM INT`,
    );
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("status 7");
    expect(result.stdout).toContain("trap -- 'echo caller-term' SIGTERM");
    expect(result.stdout).not.toContain("SIGINT");
  });
});
