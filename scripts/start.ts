// `npm start`: the whole product on one machine. Starts (or reuses) PostgreSQL and Kafka, creates the
// topics, migrates, builds the app when sources changed, then runs the web server and both workers,
// restarting a worker that crashes. Ctrl-C stops the processes it started, infrastructure included.
//   --dev      web in development mode (tsx + next dev), workers with tsx, no build
//   --no-web   workers only (`npm run dev:workers`)
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { kafkaMembershipMessageSchema, type KafkaMembershipMessage } from "@/lib/events/kafka-membership";
import { parseJsonWith } from "@/lib/events/parse-json";
import { getEnv, InvalidEnvError, type Env } from "@/lib/env";
import { pollUntil, PollTimeoutError } from "@/lib/retry";

import { prepareAdminCredentials } from "./stack/admin-credentials";
import { ensureBuilt } from "./stack/build";
import { getKafkaRoleEnv } from "./stack/kafka-credentials";
import { loadEnvFiles } from "./stack/env-file";
import { bringDownInfra, bringUpInfra } from "./stack/infra";
import { planRestart } from "./stack/restart-plan";
import { DATA_DIR, ROOT_DIR, RUN_DIR } from "./stack/paths";
import { isAlive, say, StackError } from "./stack/proc";
import { STREAM_WORKER_NODE_FLAGS } from "@/workers/stream/node-flags";

const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
const withWeb = !args.has("--no-web");

type Service = {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  child?: ChildProcess;
  restarts: number;
  startedAt: number;
  /** The consumer group membership the running child last reported (the stream worker's). */
  membership?: KafkaMembershipMessage;
  /** The member id the running child was started with, or a dead child's, for the next start to join as. */
  handOver?: string;
};

const COLORS: Record<string, string> = { web: "36", ingest: "35", stream: "33" };
const LEVEL_COLORS: Record<string, string> = { warn: "33", error: "31", fatal: "31" };
const tty = process.stdout.isTTY;
const paint = (code: string, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Turns a pino JSON line into "12:01:02 stream  warn  message key=value"; other lines pass through. */
function formatLine(name: string, line: string): string {
  const prefix = paint(COLORS[name] ?? "37", name.padEnd(7));
  if (!line.startsWith("{")) return `${prefix}${line}`;
  try {
    const { level, time, msg, pid: _pid, name: _name, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    const when = typeof time === "string" ? time.slice(11, 19) : "";
    const lvl = typeof level === "string" ? level : "info";
    const text = typeof msg === "string" ? msg : JSON.stringify(msg ?? "");
    return `${paint("90", when)} ${prefix}${paint(LEVEL_COLORS[lvl] ?? "32", lvl.padEnd(5))} ${text}${extra ? paint("90", ` ${extra}`) : ""}`;
  } catch {
    return `${prefix}${line}`;
  }
}

function pipeLines(name: string, stream: NodeJS.ReadableStream | null): void {
  let buffer = "";
  stream?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) process.stdout.write(`${formatLine(name, line)}\n`);
  });
}

/** Whether the web server answers within two minutes; false when it exits or stays silent meanwhile. */
async function waitForWeb(port: number, child: ChildProcess): Promise<boolean> {
  try {
    const outcome = await pollUntil(
      async () => {
        if (child.exitCode !== null) return "exited";
        await fetch(`http://127.0.0.1:${port}/api/health`);
        return "answers";
      },
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: `the web server on port ${port}`,
        // fetch rejects with a TypeError while nothing listens on the port yet.
        isRetriable: (error) => error instanceof TypeError,
      },
    );
    return outcome === "answers";
  } catch (error) {
    if (error instanceof PollTimeoutError) return false;
    throw error;
  }
}

/** Who runs the product in this checkout: one `npm start` at a time. */
const START_FILE = path.join(RUN_DIR, "start.json");
const startRecordSchema = z.object({ pid: z.number().int().positive(), url: z.string() });

/**
 * Claims the checkout for this `npm start`, or refuses: a second one would find the ports taken, restart
 * its web server forever and join its workers to the running pipeline. A record left by a process that
 * is gone (kill -9, a crash) is taken over.
 */
function readStartRecord(): z.infer<typeof startRecordSchema> | null {
  if (!existsSync(START_FILE)) return null;
  const record = parseJsonWith(startRecordSchema, readFileSync(START_FILE, "utf8"));
  return record.ok ? record.data : null;
}

function claimCheckout(url: string): void {
  const running = readStartRecord();
  if (running && running.pid !== process.pid && isAlive(running.pid)) {
    throw new StackError(
      `Tickstream is already running in this checkout (pid ${running.pid}): ${running.url}\n` +
        `  Stop it first (Ctrl-C in its terminal, or kill ${running.pid}).`,
    );
  }
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(START_FILE, JSON.stringify({ pid: process.pid, url }));
}

function releaseCheckout(): void {
  if (readStartRecord()?.pid === process.pid) rmSync(START_FILE, { force: true });
}

async function main(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  claimCheckout(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`);
  // Ctrl-C while PostgreSQL and Kafka come up: the step in progress finishes (a half-started server
  // would be left behind), then what this start started is stopped instead of running on unowned.
  let interrupted = false;
  const interrupt = () => {
    if (!interrupted) say("stopping once the infrastructure step in progress ends…");
    interrupted = true;
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  const infra = await bringUpInfra(env);
  process.off("SIGINT", interrupt);
  process.off("SIGTERM", interrupt);
  if (interrupted) {
    await bringDownInfra({ kafka: infra.kafka.startedHere, postgres: infra.postgres.startedHere });
    releaseCheckout();
    say("stopped");
    process.exit(130);
  }
  let stopping = false;
  const services: Service[] = [];

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    for (const s of services) if (s.child && s.child.exitCode === null) s.child.kill("SIGTERM");
    const isRunning = (s: Service) => s.child && s.child.exitCode === null && s.child.signalCode === null;
    try {
      await pollUntil(() => !services.some(isRunning), {
        timeoutMs: 30_000,
        intervalMs: 200,
        what: "the services to stop",
      });
    } catch (error) {
      // Those still running after the grace period are killed below.
      if (!(error instanceof PollTimeoutError)) throw error;
    }
    for (const s of services) {
      if (!s.child?.pid || s.child.exitCode !== null || s.child.signalCode !== null) continue;
      try {
        process.kill(-s.child.pid, "SIGKILL");
      } catch {
        s.child.kill("SIGKILL");
      }
    }
    await bringDownInfra({ kafka: infra.kafka.startedHere, postgres: infra.postgres.startedHere });
    releaseCheckout();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  // npm does not pass a SIGTERM on to its script: when npm (or the shell it ran us from) is killed,
  // this process is re-parented, and it stops everything it started instead of living on as an orphan.
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid && !stopping) {
      say("the process that started this one is gone: stopping");
      void stopAll(0);
    }
  }, 1_000).unref();

  try {
    if (!dev) ensureBuilt(say);
    const admin = prepareAdminCredentials(env, path.join(DATA_DIR, "admin-credentials.env"));
    const runtime = dev ? ["--import", "tsx"] : [];
    const file = (name: string) => (dev ? `${name}.ts` : path.join("dist", `${name}.js`));
    const { STREAM_HANDED_OVER_MEMBER_ID: _setBySupervisor, ...inherited } = process.env;
    const baseEnv: NodeJS.ProcessEnv = {
      ...inherited,
      NODE_ENV: dev ? "development" : "production",
      FORCE_COLOR: "0",
      NO_COLOR: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      ...infra.database.processEnv,
    };
    if (withWeb)
      services.push({
        name: "web",
        command: process.execPath,
        args: [...runtime, file("server")],
        env: { ...baseEnv, ...admin.extraEnv, ...getKafkaRoleEnv(infra.kafka.credentials, "web") },
        restarts: 0,
        startedAt: 0,
      });
    services.push({
      name: "ingest",
      command: process.execPath,
      args: [...runtime, file("workers/ingest")],
      env: {
        ...baseEnv,
        ...getKafkaRoleEnv(infra.kafka.credentials, "ingest"),
        METRICS_HOST: env.METRICS_HOST,
        INGEST_METRICS_PORT: String(env.INGEST_METRICS_PORT),
      },
      restarts: 0,
      startedAt: 0,
    });
    services.push({
      name: "stream",
      command: process.execPath,
      args: [...STREAM_WORKER_NODE_FLAGS, ...runtime, file("workers/stream")],
      env: {
        ...baseEnv,
        ...getKafkaRoleEnv(infra.kafka.credentials, "stream"),
        METRICS_HOST: env.METRICS_HOST,
        STREAM_METRICS_PORT: String(env.STREAM_METRICS_PORT),
      },
      restarts: 0,
      startedAt: 0,
    });

    const launch = (service: Service) => {
      service.startedAt = Date.now();
      // Own process group: Ctrl-C reaches only this supervisor, which stops each child once (a child
      // that got the terminal's SIGINT too would take the supervisor's SIGTERM as a second, forced stop).
      // The IPC channel lets a child notice when the supervisor dies and stop by itself.
      const handOver = service.handOver;
      const child = spawn(service.command, service.args, {
        cwd: ROOT_DIR,
        env: handOver ? { ...service.env, STREAM_HANDED_OVER_MEMBER_ID: handOver } : service.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        detached: true,
      });
      service.child = child;
      pipeLines(service.name, child.stdout);
      pipeLines(service.name, child.stderr);
      child.on("message", (message) => {
        const membership = kafkaMembershipMessageSchema.safeParse(message);
        if (membership.success && service.child === child) service.membership = membership.data;
      });
      child.on("exit", (code, signal) => {
        if (stopping) return;
        const plan = planRestart(service, Date.now());
        service.handOver = plan.handOver;
        service.membership = undefined;
        service.restarts = plan.restarts;
        const delay = plan.delayMs;
        say(
          `${service.name} exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)}s${service.handOver ? " in its place in the consumer group" : ""}`,
        );
        setTimeout(() => !stopping && launch(service), delay);
      });
    };
    services.forEach(launch);

    const web = services.find((s) => s.name === "web");
    if (web?.child && (await waitForWeb(env.PORT, web.child))) {
      const url = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
      say(`Tickstream is running: ${url}  (health: ${url}/health, admin: ${url}/admin)`);
      if (admin.notice) say(admin.notice);
      admin.save();
      say(`metrics: ${describeMetricsEndpoints(env, url)}`);
      say("press Ctrl-C to stop everything this command started");
    }
  } catch (error) {
    report(error);
    await stopAll(1);
  }
}

/** Where Prometheus scrapes each process (bi/prometheus/prometheus.yml lists the same targets). */
function describeMetricsEndpoints(env: Env, webUrl: string): string {
  const worker = (name: string, port: number) =>
    port === 0 ? `${name} off` : `${name} http://${env.METRICS_HOST}:${port}/metrics`;
  return [
    `web ${webUrl}/api/metrics`,
    worker("ingest", env.INGEST_METRICS_PORT),
    worker("stream", env.STREAM_METRICS_PORT),
  ].join(", ");
}

function report(error: unknown): void {
  if (error instanceof StackError || error instanceof InvalidEnvError)
    console.error(`[tickstream] ${error.message}`);
  else console.error(error);
}

main().catch((error: unknown) => {
  report(error);
  releaseCheckout();
  process.exit(1);
});
